import os
import subprocess
import sys
import time

from lakehouse.bench.measure import (
    MemoryPeak,
    PeakSampler,
    Process,
    find_tree,
    measure_once,
    read_memory,
    read_process_table,
)

#: A child that holds about 200 MiB for a few seconds.
_HOLD_MEMORY = "import time; block = bytearray(200 * 2**20); time.sleep(3)"


def test_find_tree_holds_the_roots_and_every_descendant_but_no_other_process():
    table = {
        pid: Process(pid, parent, "p")
        for pid, parent in [(1, 0), (10, 1), (11, 10), (12, 11), (20, 1), (21, 20)]
    }
    assert find_tree(table, [10, 99]) == {10, 11, 12}


def test_process_table_knows_this_process_and_its_parent():
    table = read_process_table()
    assert table[os.getpid()].parent == os.getppid()


def test_read_memory_of_an_ended_process_is_zero():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert read_memory(child.pid) == 0


def test_merge_keeps_the_larger_of_each_figure():
    assert MemoryPeak(1, 5, 3).merge(MemoryPeak(2, 4, 3)) == MemoryPeak(2, 5, 3)


def test_sampler_sees_the_memory_a_child_process_holds_under_its_label():
    with PeakSampler([], interval=0.1) as sampler:
        sampler.label("child")
        child = subprocess.Popen([sys.executable, "-c", _HOLD_MEMORY])
        time.sleep(2)
        sampler.label("after")
        child.wait()
    assert sampler.peaks["child"].stack >= 150 * 2**20
    assert sampler.peaks["child"].python < sampler.peaks["child"].stack


def test_the_warm_engines_process_counts_as_the_spark_driver():
    # A process of the run with no JVM under it: this one may have the suite's Spark session.
    run = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"])
    engine = subprocess.Popen([sys.executable, "-c", _HOLD_MEMORY])
    try:
        time.sleep(1)
        peak = measure_once(run.pid, [engine.pid], engine_pids=[engine.pid])
        alone = measure_once(run.pid, [engine.pid])
    finally:
        engine.wait()
        run.wait()

    assert peak.driver >= 150 * 2**20
    assert alone.driver == 0
