from lakehouse.resources.warehouse import WarehouseCredentials


def test_the_redacted_dsn_keeps_everything_but_the_password():
    credentials = WarehouseCredentials("127.0.0.1", 5439, "salesdb", "lake house", "p@ss/word")

    assert credentials.dsn == "postgresql://lake%20house:p%40ss%2Fword@127.0.0.1:5439/salesdb"
    assert credentials.redacted_dsn == "postgresql://lake%20house:...@127.0.0.1:5439/salesdb"
