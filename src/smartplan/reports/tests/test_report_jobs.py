"""PDF and DOCX made in the background, as the editing interface asks for them."""

import datetime as dt
import io
from unittest import mock

import docx
import pytest
from django.core.management import call_command
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from smartplan.reports.models import ReportJob
from smartplan.reports.report_jobs import (
    _claim,
    report_approval_request,
    report_job_request,
    report_job_run_next,
    report_jobs_clean,
)
from smartplan.reports.services import ReportError, report_approve, report_get_or_create

pytestmark = pytest.mark.django_db
State = ReportJob.State


@pytest.fixture
def annual(demo_plan):
    return report_get_or_create(plan=demo_plan, kind="annual", year=2020)


def test_a_request_waits_until_the_worker_makes_the_file(annual):
    job = report_job_request(report=annual, fmt="docx")
    assert job.state == State.QUEUED
    assert report_job_request(report=annual, fmt="docx") == job  # asked twice, made once
    done = report_job_run_next()
    assert done == job
    assert done.state == State.DONE
    assert docx.Document(io.BytesIO(bytes(done.content))).paragraphs[0].text.startswith("VÝROČNÍ")
    assert report_job_run_next() is None  # nothing left
    assert report_job_request(report=annual, fmt="docx") != job  # a new request renders anew


def test_unknown_format_is_refused(annual):
    with pytest.raises(ReportError, match="pdf"):
        report_job_request(report=annual, fmt="xls")


def test_a_failed_rendering_is_recorded_and_the_worker_goes_on(annual):
    failing = report_job_request(report=annual, fmt="pdf")
    fine = report_job_request(report=annual, fmt="docx")
    with mock.patch(
        "smartplan.reports.report_jobs.report_render", side_effect=[RuntimeError("boom"), b"ok"]
    ):
        assert report_job_run_next().state == State.FAILED
        assert report_job_run_next().state == State.DONE
    failing.refresh_from_db()
    fine.refresh_from_db()
    assert failing.error == "Neočekávaná chyba; byla zaznamenána do logu."
    assert "boom" not in failing.error
    assert bytes(fine.content) == b"ok"


def test_a_job_whose_worker_died_is_taken_up_again(annual):
    job = report_job_request(report=annual, fmt="docx")
    ReportJob.objects.filter(pk=job.pk).update(
        state=State.RUNNING, started_at=timezone.now() - dt.timedelta(minutes=10)
    )
    assert report_job_run_next() is None  # still running, maybe slowly
    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    assert report_job_run_next().state == State.DONE


def test_a_dead_workers_job_is_taken_over_by_one_worker_only(annual):
    """Two workers list the same abandoned job; the one that claims it second finds it
    already taken (its start time changed since the listing) and leaves it."""
    job = report_job_request(report=annual, fmt="docx")
    abandoned = timezone.now() - dt.timedelta(hours=2)
    ReportJob.objects.filter(pk=job.pk).update(state=State.RUNNING, started_at=abandoned)
    other_worker = timezone.now() - dt.timedelta(seconds=5)
    real_update = QuerySet.update

    def the_other_worker_first(queryset, **values):
        # Between this worker's listing and its claim, the other worker claims the job.
        taken = ReportJob.objects.filter(pk=job.pk, started_at=abandoned)
        real_update(taken, state=State.RUNNING, started_at=other_worker)
        return real_update(queryset, **values)

    with mock.patch.object(QuerySet, "update", the_other_worker_first):
        assert _claim() is None
    job.refresh_from_db()
    assert (job.state, job.started_at) == (State.RUNNING, other_worker)


def test_old_finished_jobs_are_deleted(annual):
    job = report_job_request(report=annual, fmt="docx")
    report_job_run_next()
    assert report_jobs_clean() == 0
    ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=2))
    assert report_jobs_clean() == 1


@pytest.mark.django_db(transaction=True)  # the worker closes stale connections between jobs
def test_worker_command_makes_every_waiting_file(annual):
    report_job_request(report=annual, fmt="pdf")
    report_job_request(report=annual, fmt="docx")
    out = io.StringIO()
    call_command("report_worker", "--once", stdout=out)
    assert set(ReportJob.objects.values_list("state", flat=True)) == {State.DONE}
    assert out.getvalue().count("připraveno") == 2


def test_editing_interface_asks_waits_and_downloads(coordinator_client, annual):
    response = coordinator_client.get(reverse("admin:reports_report_file", args=[annual.pk, "pdf"]))
    job = ReportJob.objects.get()
    status_url = reverse("admin:reports_report_job", args=[annual.pk, job.pk])
    assert response.status_code == 302
    assert response["Location"] == status_url
    waiting = coordinator_client.get(status_url).content.decode()
    assert "Čeká na zpracování." in waiting
    assert '<meta http-equiv="refresh" content="3">' in waiting

    report_job_run_next()
    ready = coordinator_client.get(status_url).content.decode()
    file_url = reverse("admin:reports_report_job_file", args=[annual.pk, job.pk])
    assert "Připraveno." in ready
    assert f'content="0;url={file_url}"' in ready
    download = coordinator_client.get(file_url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="liberec-2020-annual-2020.pdf"'
    )
    text = PdfReader(io.BytesIO(download.content)).pages[0].extract_text()
    assert "VÝROČNÍ ZPRÁVA ZA ROK 2020" in text


def test_an_approved_report_is_served_at_once_from_its_stored_file(coordinator_client, annual):
    report_approve(report=annual, approved_by="Řídící skupina", approved_on=dt.date(2021, 3, 15))
    response = coordinator_client.get(
        reverse("admin:reports_report_file", args=[annual.pk, "docx"])
    )
    assert response.status_code == 200
    assert not ReportJob.objects.exists()


def test_approval_is_carried_out_by_the_worker(coordinator_client, annual):
    response = coordinator_client.post(
        reverse("admin:reports_report_approve", args=[annual.pk]),
        {"approved_by": "Řídící skupina", "approved_on": "15. 3. 2021"},
    )
    job = ReportJob.objects.get()
    status_url = reverse("admin:reports_report_job", args=[annual.pk, job.pk])
    assert response["Location"] == status_url
    assert job.format == ReportJob.APPROVAL
    annual.refresh_from_db()
    assert not annual.frozen  # not until the files are stored
    assert "Schválení: výroční zpráva 2020" in coordinator_client.get(status_url).content.decode()

    report_job_run_next()
    annual.refresh_from_db()
    assert annual.approved_on == dt.date(2021, 3, 15)
    assert sorted(annual.files.values_list("format", flat=True)) == ["docx", "html", "pdf"]
    page = coordinator_client.get(status_url).content.decode()
    assert "Zpráva je schválena a zmrazena." in page
    assert 'http-equiv="refresh"' not in page

    again = coordinator_client.post(
        reverse("admin:reports_report_approve", args=[annual.pk]),
        {"approved_by": "Někdo jiný", "approved_on": "16. 3. 2021"},
        follow=True,
    )
    assert "Zpráva už je schválena a zmrazena." in again.content.decode()
    assert ReportJob.objects.count() == 1


def test_an_approval_waiting_for_the_worker_cannot_be_asked_for_twice(annual):
    today = dt.date.today()
    report_approval_request(report=annual, approved_by="Řídící skupina", approved_on=today)
    with pytest.raises(ReportError, match="schválena"):
        report_approval_request(report=annual, approved_by="Rada", approved_on=today)


def test_the_job_of_an_approval_is_done_in_the_approvals_transaction(annual):
    job = report_approval_request(
        report=annual, approved_by="Řídící skupina", approved_on=dt.date(2021, 3, 15)
    )
    seen = []

    def approve_then_fail(**kwargs):
        def within(report):
            kwargs["within"](report)  # the job's own step inside the approval: "done"
            seen.append(ReportJob.objects.get(pk=job.pk).state)
            raise RuntimeError("the disk is full")  # the approval's transaction rolls back

        return report_approve(**{**kwargs, "within": within})

    with mock.patch("smartplan.reports.report_jobs.report_approve", approve_then_fail):
        assert report_job_run_next().state == State.FAILED
    assert seen == [State.DONE]  # "done" was written inside the approval's transaction
    annual.refresh_from_db()
    assert not annual.frozen  # and rolled back with it
    assert not annual.files.exists()


def test_a_job_left_running_after_its_approval_committed_is_done_not_failed(annual):
    """A worker died after the approval committed (before this change, or between the two)."""
    job = report_approval_request(
        report=annual, approved_by="Řídící skupina", approved_on=dt.date(2021, 3, 15)
    )
    report_approve(report=annual, approved_by="Řídící skupina", approved_on=dt.date(2021, 3, 15))
    ReportJob.objects.filter(pk=job.pk).update(
        state=State.RUNNING, started_at=timezone.now() - dt.timedelta(hours=2)
    )
    with mock.patch("smartplan.reports.report_jobs.report_approve") as approve:
        finished = report_job_run_next()
    approve.assert_not_called()  # nothing rendered again
    assert finished.state == State.DONE
    assert finished.error == ""


def test_two_workers_on_one_approval_both_end_done(annual):
    """The job was taken up again (its first worker seemed dead) while the first approved."""
    job = report_approval_request(
        report=annual, approved_by="Řídící skupina", approved_on=dt.date(2021, 3, 15)
    )

    def first_worker_wins(**kwargs):
        report_approve(**kwargs)  # the first worker commits meanwhile...
        report_approve(**kwargs)  # ...and this one finds the report frozen

    with mock.patch("smartplan.reports.report_jobs.report_approve", first_worker_wins):
        assert report_job_run_next().state == State.DONE
    job.refresh_from_db()
    assert (job.state, job.error) == (State.DONE, "")


def test_an_approval_by_someone_else_still_fails_the_job(annual):
    job = report_approval_request(
        report=annual, approved_by="Řídící skupina", approved_on=dt.date(2021, 3, 15)
    )
    report_approve(report=annual, approved_by="Rada kraje", approved_on=dt.date(2021, 3, 20))
    assert report_job_run_next() == job
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert job.error == "Zpráva už je schválena a zmrazena."


# A worker killed right after its approval committed (crash point "after-approval-commit"),
# in a process of its own on a database of its own; then the worker is started again.
ASK_FOR_APPROVAL = """
import datetime as dt
from smartplan.plans.models import Plan
from smartplan.reports.report_jobs import report_approval_request
from smartplan.reports.services import report_get_or_create

plan = Plan.objects.get(slug="liberec-2020")
report = report_get_or_create(plan=plan, kind="quarterly", year=2021, quarter=2)
job = report_approval_request(
    report=report, approved_by="Řídící skupina", approved_on=dt.date(2021, 7, 20)
)
print(json.dumps(job.pk))
"""
JOB = """
from smartplan.reports.models import ReportJob
job = ReportJob.objects.select_related("report").get(pk=int(sys.argv[1]))
print(json.dumps({
    "state": job.state,
    "error": job.error,
    "approved_on": str(job.report.approved_on),
    "files": sorted(job.report.files.values_list("format", flat=True)),
}))
"""


def test_a_worker_killed_after_the_approval_committed_leaves_the_job_done(
    demo_database, fresh_copy
):
    from smartplan.core.crash_points import CRASH_EXIT_CODE

    database = fresh_copy(demo_database)
    job_id = str(database.python(ASK_FOR_APPROVAL))
    killed = database.smartplan("report-worker", "--once", crash_at="after-approval-commit")
    assert killed.returncode == CRASH_EXIT_CODE, killed.stderr
    done = {
        "state": "done",
        "error": "",
        "approved_on": "2021-07-20",
        "files": ["docx", "html", "pdf"],
    }
    assert database.python(JOB, job_id) == done
    restarted = database.smartplan("report-worker", "--once")
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.stdout == ""  # nothing left to do: the job is not taken up again
    assert database.python(JOB, job_id) == done
