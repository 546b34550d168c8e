"""Which step errors mean a lost service, and the one line each becomes."""

import psycopg
import pytest
from botocore.exceptions import ConnectionClosedError, EndpointConnectionError
from psycopg import errors
from pyspark.errors.exceptions.connect import SparkConnectGrpcException, UnknownException

from lakehouse.config import load_settings
from lakehouse.pipeline.lost_service import lost_service_error

LOCAL = load_settings({"AWS_ENDPOINT_URL": "http://127.0.0.1:4566"})
AWS = load_settings({"LAKEHOUSE_PROFILE": "aws", "AWS_REGION": "eu-west-1"})


@pytest.mark.parametrize(
    "error",
    [
        # boto3 cannot open a connection to the emulator
        EndpointConnectionError(endpoint_url="http://127.0.0.1:4566/raw"),
        # the emulator closed a connection in the middle of a request
        ConnectionClosedError(endpoint_url="http://127.0.0.1:4566/raw"),
        # S3A on the warm engine could not connect, as Spark Connect's client reports it
        UnknownException(
            "(java.net.ConnectException) getFileStatus on s3://curated/sales_fact/_delta_log:"
            " SdkClientException: Unable to execute HTTP request: Connect to 127.0.0.1:4566"
            " failed: Connection refused"
        ),
    ],
)
def test_a_lost_object_store_names_the_emulator_endpoint_and_what_to_do(error):
    lost = lost_service_error("run_glue_etl", error, LOCAL)
    assert str(lost) == (
        "step run_glue_etl failed: the S3/Glue endpoint http://127.0.0.1:4566 does not answer;"
        " check it with `lakehouse status` (`lakehouse up` starts the local stack), then run again"
    )


def test_a_lost_spark_engine_names_its_address_and_what_to_do():
    error = SparkConnectGrpcException(
        "<_MultiThreadedRendezvous of RPC that terminated with:\n\tstatus = StatusCode.UNAVAILABLE"
        '\n\tdetails = "failed to connect to all addresses">'
    )

    lost = lost_service_error("run_glue_etl", error, LOCAL)

    assert str(lost) == (
        "step run_glue_etl failed: the Spark engine sc://127.0.0.1:15002 does not answer; check it"
        " with `lakehouse status` (`lakehouse up` starts the local stack), then run again"
    )


def test_on_aws_a_lost_object_store_names_the_region():
    lost = lost_service_error("land_raw", EndpointConnectionError(endpoint_url="https://s3"), AWS)
    assert "the S3/Glue endpoint AWS in eu-west-1 does not answer" in str(lost)


@pytest.mark.parametrize(
    "error",
    [
        # the client saw the server close the connection: no SQLSTATE
        psycopg.OperationalError("consuming input failed: server closed the connection\nmore"),
        # `pg_ctl restart -m fast` terminates every session
        errors.AdminShutdown("terminating connection due to administrator command"),
    ],
)
def test_a_lost_warehouse_connection_says_the_warehouse_is_as_it_was(error):
    lost = lost_service_error("load_sales_fact", error, LOCAL)
    first_line = str(error).splitlines()[0]
    assert str(lost).startswith(
        f"step load_sales_fact failed: lost the warehouse connection ({first_line}); the star"
        " loads in one transaction, so the warehouse is as it was;"
    )


def test_a_step_after_the_load_does_not_claim_the_warehouse_is_as_it_was():
    lost = lost_service_error("refresh_mat_views", errors.AdminShutdown("terminating"), LOCAL)

    assert str(lost) == (
        "step refresh_mat_views failed: lost the warehouse connection (terminating); check it"
        " with `lakehouse status` (`lakehouse up` starts the local stack), then run again"
    )


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("executor lost"),
        UnknownException("(java.lang.ArithmeticException) divide by zero"),
        # a serialization failure is an OperationalError of a live connection
        errors.SerializationFailure("could not serialize access"),
    ],
)
def test_other_errors_are_not_a_lost_service(error):
    assert lost_service_error("load_sales_fact", error, LOCAL) is None
