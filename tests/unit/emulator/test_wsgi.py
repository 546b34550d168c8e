import io

from moto.core.request import PRESERVED_HEADER_NAMES_ENVIRON_KEY

from lakehouse.emulator.wsgi import read_body, request_headers


def test_request_headers_keep_the_client_spelling_of_underscored_names():
    environ = {
        "HTTP_X_AMZ_DATE": "20261205T000000Z",
        "HTTP_X_AMZ_META_RUN_ID": "r-1",
        PRESERVED_HEADER_NAMES_ENVIRON_KEY: {"HTTP_X_AMZ_META_RUN_ID": "x-amz-meta-run_id"},
        "CONTENT_TYPE": "text/csv",
        "CONTENT_LENGTH": "3",
        "wsgi.input": io.BytesIO(b"abc"),
    }

    assert request_headers(environ) == {
        "X-Amz-Date": "20261205T000000Z",
        "x-amz-meta-run_id": "r-1",
        "Content-Type": "text/csv",
        "Content-Length": "3",
    }


def test_read_body_reads_to_the_end_of_a_chunked_body_and_rewinds_it():
    environ = {"wsgi.input": io.BytesIO(b"de-chunked"), "wsgi.input_terminated": True}

    assert read_body(environ) == b"de-chunked"
    assert (environ["wsgi.input"].read(), environ["CONTENT_LENGTH"]) == (b"de-chunked", "10")
