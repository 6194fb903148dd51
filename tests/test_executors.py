"""steppe.executors: a bounded window of work in flight, in this process or on Dask."""

import threading

import pytest

from steppe.executors import DaskExecutor, LocalExecutor, bounded_map, make_executor


def square(x: int) -> int:
    return x * x


def test_bounded_map_keeps_order_and_reads_at_most_a_window_ahead():
    drawn = []

    def items():
        for i in range(10):
            drawn.append(i)
            yield i

    results = bounded_map(square, items(), 3)
    assert next(results) == 0
    assert drawn == [0, 1, 2]  # the first result is collected once three are in flight
    assert list(results) == [x * x for x in range(1, 10)]
    with pytest.raises(ValueError, match="at least 1"):
        list(bounded_map(square, [1], 0))


def test_a_failure_is_raised_where_its_result_is_collected():
    def fail(x):
        raise RuntimeError(f"bad {x}")

    for executor in (LocalExecutor(threads=0), LocalExecutor(threads=1)):
        with executor, pytest.raises(RuntimeError, match="bad 0"):
            list(bounded_map(fail, [0, 1], 2, executor))


def test_the_local_executor_runs_the_work_in_one_other_thread():
    # The analysis is pure Python: more threads would not run it faster under the GIL,
    # and would hold more batches' analysis in memory at once.
    with make_executor("local") as executor:
        assert isinstance(executor, LocalExecutor)
        names = set(bounded_map(lambda _: threading.current_thread().name, range(6), 3, executor))
    assert len(names) == 1 and names != {threading.current_thread().name}


def test_runner_choices_are_checked():
    assert isinstance(make_executor("dask"), DaskExecutor)
    with pytest.raises(ValueError, match="--dask-address needs --runner dask"):
        make_executor("local", "tcp://127.0.0.1:1")
    with pytest.raises(ValueError, match="unknown runner 'spark'"):
        make_executor("spark")


@pytest.mark.integration
def test_the_dask_executor_runs_the_work_on_a_local_cluster():
    with DaskExecutor(n_workers=1) as executor:
        assert list(bounded_map(square, range(5), 2, executor)) == [0, 1, 4, 9, 16]
