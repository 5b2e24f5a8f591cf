using PetitionDashboard.Domain;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Cases;

public sealed class CaseServiceTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private async Task<CaseService> ServiceAsync(TestData data)
    {
        await data.SaveAsync(_db, Ct);
        return new CaseService(_db, data.Deadlines, data.Clock(), TestUsers.Leader, PetitionDashboard.Tests.Support.TestPersonalData.Protector);
    }

    [Fact]
    public async Task Petitioners_LeaveTheServiceWithIdNumbersAndPhonesMasked()
    {
        var data = new TestData(new(2026, 11, 23));
        data.Petition("XF-1").By("张三", "110101199003071234", "13812345678", "城关区解放路1号").By("李四");
        var s = await ServiceAsync(data);

        var c = (await s.GetAsync("XF-1", Ct))!;

        Assert.Equal([("张三", "110101********1234", "138****5678"), ("李四", (string?)null, (string?)null)],
            c.Petitioners.Select(x => (x.Name, x.MaskedIdNumber, x.MaskedPhone)));
    }

    [Fact]
    public async Task CurrentDeadline_ExplainsTheSpringFestivalAndMakeUpDayItCrossed()
    {
        // Received Tue 10 Feb 2026: 15 days from the 11th end Wed 25 Feb, crossing 调休 Sat 14 Feb and 春节 15–23 Feb.
        var data = new TestData(new(2026, 2, 20));
        data.Petition("XF-2").ReceivedOn(new(2026, 2, 10));
        var s = await ServiceAsync(data);

        var c = (await s.GetAsync("XF-2", Ct))!;
        var d = c.CurrentDeadline!;

        Assert.Equal((new DateOnly(2026, 2, 10), 15, LimitKind.CalendarDays, new DateOnly(2026, 2, 25)), (d.Start, d.Limit, d.Kind, d.Due));
        Assert.Null(d.ShiftRule);
        Assert.Empty(d.MissingCalendarYears);
        Assert.Equal(["2026-02-14 调休上班（计为工作日）", "春节假期 2026-02-15 至 2026-02-23（9 天）"], d.Runs().Select(r => r.Text));
        Assert.Equal(DeadlineStatus.DueSoon, c.DeadlineStatus);           // 5 days left = WarnDays: 临期
        Assert.Equal(-5, c.DaysOverdue);
        Assert.False(c.StoredDueDiffers);
    }

    [Fact]
    public async Task CurrentDeadline_ThatEndsOnNationalDay_NamesTheShift()
    {
        var data = new TestData(new(2026, 9, 20));
        data.Petition("XF-3").ReceivedOn(new(2026, 9, 16));
        var s = await ServiceAsync(data);

        var d = (await s.GetAsync("XF-3", Ct))!.CurrentDeadline!;

        Assert.Equal(new DateOnly(2026, 10, 1), d.LastDayCounted);
        Assert.Equal(new DateOnly(2026, 10, 8), d.Due);
        Assert.Contains("国庆节假期", d.ShiftRule);
        Assert.Contains(d.Runs(), r => r.Text == "国庆节假期 2026-10-01 至 2026-10-07（7 天）");
    }

    [Fact]
    public async Task CurrentDeadline_IntoAYearWithoutACalendar_ReportsTheMissingYear()
    {
        var data = new TestData(new(2026, 12, 22));
        data.Petition("XF-4").ReceivedOn(new(2026, 12, 20));
        var s = await ServiceAsync(data);

        var d = (await s.GetAsync("XF-4", Ct))!.CurrentDeadline!;

        Assert.Equal([2027], d.MissingCalendarYears);
        Assert.Equal(new DateOnly(2027, 1, 4), d.Due);
    }

    [Fact]
    public async Task Case_ShowsItsEventsInOrder_ItsThread_AndTheAssignmentWithNewestProgressFirst()
    {
        var data = new TestData(new(2026, 11, 23));
        var first = data.Petition("XF-10").ReceivedOn(new(2026, 6, 1)).InHandling(new DateOnly(2026, 6, 3));
        data.Petition("XF-11").RepeatOf(first).ReceivedOn(new(2026, 9, 1));
        data.Petition("XF-12").RepeatOf(first).ReceivedOn(new(2026, 11, 1));
        data.Assign(first, data.Leader("李秀英", "副市长")).AssignedOn(new(2026, 9, 2))
            .Progress(new DateOnly(2026, 9, 10), "约谈信访人").Progress(new DateOnly(2026, 10, 15), "召开协调会");
        var s = await ServiceAsync(data);

        var c = (await s.GetAsync("XF-11", Ct))!;

        Assert.Equal(["XF-10", "XF-11", "XF-12"], c.Thread.Select(t => t.CaseNumber));
        Assert.Equal([false, true, true], c.Thread.Select(t => t.IsRepeat));
        Assert.Equal("XF-11", c.Thread.Single(t => t.IsThisCase).CaseNumber);
        Assert.Equal(2, c.ThreadRepeatCount);
        var a = Assert.Single(c.Assignments);
        Assert.Equal(("李秀英", "副市长", AssignmentStatus.Active), (a.LeaderName, a.LeaderTitle, a.Status));
        Assert.Equal(new DateOnly(2026, 12, 1), a.DueOn);                      // 2 Sep + 90 days, a Tuesday
        Assert.Equal(["召开协调会", "约谈信访人"], a.Progress.Select(x => x.Action));

        var events = (await s.GetAsync("XF-10", Ct))!.Events;
        Assert.Equal([PetitionState.Registered, PetitionState.Accepted, PetitionState.InHandling], events.Select(e => e.ToState!.Value));
    }

    [Fact]
    public async Task Case_CarriedFromPrerenderAsJson_ArrivesWhole()
    {
        // The case page hands the prerender's read to the circuit as JSON (web defaults): nothing may be lost or looped.
        var data = new TestData(new(2026, 11, 23));
        var first = data.Petition("XF-20").ReceivedOn(new(2026, 6, 1)).InHandling(new DateOnly(2026, 6, 3));
        data.Petition("XF-21").RepeatOf(first).ReceivedOn(new(2026, 9, 1)).By("张三", "110101199003071234", "13812345678");
        data.Assign(first, data.Leader("李秀英", "副市长")).AssignedOn(new(2026, 9, 2)).Progress(new DateOnly(2026, 9, 10), "约谈信访人");
        var s = await ServiceAsync(data);
        var web = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);

        foreach (var number in new[] { "XF-20", "XF-21" })
        {
            var c = (await s.GetAsync(number, Ct))!;
            var json = System.Text.Json.JsonSerializer.Serialize(c, web);
            var back = System.Text.Json.JsonSerializer.Deserialize<CaseDetails>(json, web)!;

            Assert.Equal(json, System.Text.Json.JsonSerializer.Serialize(back, web));
            Assert.Equal((c.Petition.CaseNumber, c.Petition.Version, c.UnitName), (back.Petition.CaseNumber, back.Petition.Version, back.UnitName));
            Assert.Equal(c.Events.Select(e => (e.On, e.Kind, e.Actor)), back.Events.Select(e => (e.On, e.Kind, e.Actor)));
            Assert.Equal(c.CurrentDeadline?.Summary, back.CurrentDeadline?.Summary);
            Assert.Equal(c.Thread, back.Thread);
            Assert.Equal(c.Assignments.Select(a => (a.LeaderName, a.DueOn, a.Progress.Count)), back.Assignments.Select(a => (a.LeaderName, a.DueOn, a.Progress.Count)));
            Assert.DoesNotContain("110101199003071234", json);   // masked before it leaves the service
        }
    }

    [Fact]
    public async Task PeopleInTheRecords_AreShownByDisplayName_NotByLogin()
    {
        var data = new TestData(new(2026, 11, 23));
        var first = data.Petition("XF-20").ReceivedOn(new(2026, 9, 1)).InHandling(new DateOnly(2026, 9, 3));
        data.Assign(first, data.Leader("李秀英", "副市长")).AssignedOn(new(2026, 9, 2))
            .Progress(new DateOnly(2026, 9, 10), "约谈信访人", "u-dutyofficer").Progress(new DateOnly(2026, 10, 15), "召开协调会");
        var s = await ServiceAsync(data);
        await using (var db = _db.CreateDbContext())
        {
            db.Users.Add(new AppUser { UserName = "u-dutyofficer", DisplayName = "王值班" });
            var accepted = db.PetitionEvents.Single(e => e.ToState == PetitionState.Accepted);
            accepted.Actor = "u-dutyofficer";
            await db.SaveChangesAsync(Ct);
        }

        var c = (await s.GetAsync("XF-20", Ct))!;

        // A login name becomes the person's name; a body recorded as such (牵头单位, 系统) stays as it is.
        Assert.Equal(["召开协调会（牵头单位）", "约谈信访人（王值班）"], c.Assignments.Single().Progress.Select(x => $"{x.Action}（{x.Actor}）"));
        Assert.Equal("王值班", c.Events.Single(e => e.ToState == PetitionState.Accepted).Actor);
        Assert.DoesNotContain(c.Events, e => e.Actor == "u-dutyofficer");
    }

    [Fact]
    public async Task FinishedCase_HasNoCurrentDeadline_ButSaysWhetherItWasOnTime()
    {
        var data = new TestData(new(2026, 11, 23));
        data.Petition("XF-20").ReceivedOn(new(2026, 3, 2)).Finished();
        var s = await ServiceAsync(data);

        var c = (await s.GetAsync("XF-20", Ct))!;

        Assert.Null(c.CurrentDeadline);
        Assert.Null(c.DeadlineStatus);
        Assert.Equal(DeadlineStatus.OnTime, c.Completion);
    }

    [Fact]
    public async Task UnknownCaseNumber_GivesNothing()
    {
        var s = await ServiceAsync(new TestData(new(2026, 11, 23)));
        Assert.Null(await s.GetAsync("XF-404", Ct));
    }
}
