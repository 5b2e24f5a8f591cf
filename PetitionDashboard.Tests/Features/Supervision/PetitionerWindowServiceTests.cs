using Microsoft.EntityFrameworkCore;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Supervision;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Supervision;

/// <summary>
/// A replied petition is closed when its 复查 window passes with no request (docs/rules.md §4), by the nightly job, with an
/// event that says why. The calendar is made here: 2031's 春节 holiday 01-22 … 01-28 (the years are invented, so the test
/// holds whichever calendars ship).
/// </summary>
public sealed class PetitionerWindowServiceTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DeadlineCalculator Deadlines = new(new WorkingCalendar(
    [
        new HolidayYear(2030, "测试", [], []),
        new HolidayYear(2031, "测试", [new HolidayPeriod("春节", new DateOnly(2031, 1, 22), new DateOnly(2031, 1, 28))], []),
    ]), new DeadlineOptions());

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task<WindowClosingResult> RunOn(DateOnly today)
    {
        var clock = TestClock.AtShanghai(today.Year, today.Month, today.Day, 0, 30);
        return await new PetitionerWindowService(_db, Deadlines, clock, TestUsers.Guard(Roles.Supervisor)).CloseLapsedAsync(today, Ct);
    }

    private async Task<Petition> Load(string caseNumber)
    {
        await using var db = _db.CreateDbContext();
        return await db.Petitions.AsNoTracking().Include(p => p.Events).SingleAsync(p => p.CaseNumber == caseNumber, Ct);
    }

    [Fact]
    public async Task AReplied_Petition_IsClosedTheDayAfterItsReviewWindow_ShiftedPastTheHoliday()
    {
        var data = new TestData(new DateOnly(2031, 1, 20), Deadlines);
        // Replied 2030-12-24: 30 days end on Thu 2031-01-23, inside 春节 → the window runs to the first working day, Wed 01-29.
        data.Petition("W-1").ReceivedOn(new(2030, 10, 8)).InHandling(new DateOnly(2030, 10, 9)).Replied(new(2030, 12, 24));
        // Replied 2030-12-30: its window ends 2031-01-29 as well (30 days, a working day): not lapsed either until 01-30.
        data.Petition("W-2").ReceivedOn(new(2030, 10, 8)).InHandling(new DateOnly(2030, 10, 9)).Replied(new(2030, 12, 30));
        // Replied 2031-01-10: its window runs to 02-09.
        data.Petition("W-3").ReceivedOn(new(2030, 10, 8)).InHandling(new DateOnly(2030, 10, 9)).Replied(new(2031, 1, 10));
        await data.SaveAsync(_db, Ct);

        // On the 30th day, and on the window's last (shifted) day, nothing closes: the petitioner may still ask for 复查.
        Assert.Equal(0, (await RunOn(new DateOnly(2031, 1, 24))).Closed);
        Assert.Equal(0, (await RunOn(new DateOnly(2031, 1, 29))).Closed);
        Assert.Equal(PetitionState.Replied, (await Load("W-1")).State);

        var result = await RunOn(new DateOnly(2031, 1, 30));

        Assert.Equal(2, result.Closed);
        var closed = await Load("W-1");
        Assert.Equal((PetitionState.Closed, new DateOnly(2031, 1, 30)), (closed.State, closed.FinishedOn!.Value));
        var e = closed.Events.Single(x => x.ToState == PetitionState.Closed);
        Assert.Equal((new DateOnly(2031, 1, 30), PetitionerWindowService.SystemActor, "复查申请期限已于 2031-01-29 届满，信访人未申请复查，自动办结"),
            (e.On, e.Actor, e.Note));
        Assert.Equal(PetitionState.Closed, (await Load("W-2")).State);
        Assert.Equal(PetitionState.Replied, (await Load("W-3")).State);

        // Running again changes nothing.
        Assert.Equal(0, (await RunOn(new DateOnly(2031, 1, 30))).Closed);
        Assert.Single((await Load("W-1")).Events, x => x.ToState == PetitionState.Closed);
    }

    [Fact]
    public async Task APetitionUnderReview_OrOpen_IsNeverClosedByTheJob()
    {
        var data = new TestData(new DateOnly(2031, 3, 1), Deadlines);
        data.Petition("R-1").ReceivedOn(new(2030, 10, 8)).InHandling(new DateOnly(2030, 10, 9)).Replied(new(2030, 11, 2))
            .Step(PetitionState.UnderReview, new DateOnly(2030, 11, 20));
        data.Petition("O-1").ReceivedOn(new(2030, 10, 8)).InHandling(new DateOnly(2030, 10, 9));
        await data.SaveAsync(_db, Ct);

        Assert.Equal(0, (await RunOn(new DateOnly(2031, 3, 1))).Closed);
        Assert.Equal(PetitionState.UnderReview, (await Load("R-1")).State);
        Assert.Equal(PetitionState.InHandling, (await Load("O-1")).State);
    }

    [Fact]
    public async Task OnlyThoseWhoManageLevels_MayRunIt()
    {
        var service = new PetitionerWindowService(_db, Deadlines, TestClock.AtShanghai(2031, 1, 30), TestUsers.Guard(Roles.Leader));
        await Refused.NotAllowedAsync(() => service.CloseLapsedAsync(new DateOnly(2031, 1, 30), Ct));
    }
}
