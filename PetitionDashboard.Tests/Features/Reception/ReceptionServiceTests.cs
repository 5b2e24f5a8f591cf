using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Features.Cases;
using PetitionDashboard.Features.Reception;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Features.Statistics;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Reception;

/// <summary>
/// 领导接访 and 下访 (docs/rules.md §11) against a real database: publication the day before, capacity, walk-ins, the
/// reception record and each decision through the registration, case-handling and assignment services, repeat detection of a
/// reception matter, the 交办 deadline across a holiday, who may do what, and the three weekly figures of a hand-worked week.
/// </summary>
public class ReceptionServiceTests : IAsyncLifetime
{
    private const string IdZhang = "11010519491231002X";
    private const string IdLi = "361002198001010019";
    private const string Wages = "要求补发拖欠的工资，共计三个月。";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestDatabase _db = null!;
    private TestClock _clock = null!;
    private int _leaderId, _county, _otherCounty, _dept, _quietUnit;

    public async ValueTask InitializeAsync()
    {
        _clock = TestClock.AtShanghai(2026, 11, 16);
        _db = await TestDatabase.CreateAsync(new AuditInterceptor(new AuditActorAccessor(), _clock, TestPersonalData.Protector));
        await using var ctx = _db.CreateDbContext();
        var county = new Unit { Name = "临川区", Kind = UnitKind.County };
        var other = new Unit { Name = "东乡区", Kind = UnitKind.County };
        var dept = new Unit { Name = "市人力资源和社会保障局", Kind = UnitKind.CityDepartment };
        var quiet = new Unit { Name = "南城县", Kind = UnitKind.County };
        var leader = new Leader { Name = "李明", Title = "副局长" };
        ctx.AddRange(county, other, dept, quiet, leader);
        await ctx.SaveChangesAsync(Ct);
        (_county, _otherCounty, _dept, _quietUnit, _leaderId) = (county.Id, other.Id, dept.Id, quiet.Id, leader.Id);
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();

    private ReceptionService Service(string role, int? leaderId = null, ReceptionOptions? options = null)
    {
        var guard = new AccessGuard(FixedCurrentUser.For($"u-{role}", [role], leaderId));
        var deadlines = TestRules.Deadlines();
        var detection = new RepeatDetectionService(_db, Options.Create(new RepeatOptions()), guard, TestPersonalData.Protector);
        var registration = new RegistrationService(_db, detection, new ThreadLinkingService(_db, _clock, guard), deadlines, _clock, guard, TestPersonalData.Protector);
        var handling = new CaseHandlingService(_db, deadlines, _clock, guard, Options.Create(new SupervisionOptions()), Options.Create(new BacklogOptions()));
        var assignments = new AssignmentService(_db, _clock, deadlines, guard, NullLogger<AssignmentService>.Instance);
        return new ReceptionService(_db, guard, _clock, deadlines, Options.Create(options ?? new ReceptionOptions()), TestPersonalData.Protector,
            registration, handling, assignments);
    }

    private ReceptionService Officer => Service(Roles.DutyOfficer);

    private void MoveTo(DateOnly day) => _clock.Now = TestClock.AtShanghai(day.Year, day.Month, day.Day).Now;

    private Task<int> PublishAsync(DateOnly on, ReceptionService? as_ = null) =>
        (as_ ?? Officer).PublishAsync(new ReceptionDayInput(on, HalfDay.Morning, "市信访局接待大厅", _leaderId, "劳动和社会保障"), Ct);

    private BookingInput NewMatter(string name, string? id, int unitId, string demand = Wages, int people = 1, string locality = "临川区") => new()
    {
        Name = name, IdNumber = id, Phone = id is null ? "13800138000" : null, PeopleCount = people,
        Locality = locality, Category = "劳动和社会保障", Demand = demand, UnitId = unitId,
    };

    private static ReceptionRecordInput Attended(ReceptionDecision decision, RepeatChoice choice = RepeatChoice.NewMatter) => new()
    {
        Attended = true, Asked = "反映工资拖欠", MinutesSpent = 20, Decision = decision, RepeatChoice = choice,
        ResponsiblePerson = "王科长", Plan = "约谈用人单位，限期支付",
    };

    [Fact]
    public async Task Publish_IsAcceptedTheDayBefore_AndRefusedInChineseOnTheDayItself()
    {
        var id = await PublishAsync(new DateOnly(2026, 11, 17));
        var day = Assert.Single(await Officer.ScheduleAsync(new(2026, 11, 1), new(2026, 11, 30), ct: Ct));
        Assert.Equal((id, 10, "李明"), (day.Id, day.Capacity, day.Leader));

        var sameDay = await Assert.ThrowsAsync<ActionRefusedException>(() => PublishAsync(new DateOnly(2026, 11, 16)));
        Assert.Contains("接访日期：须至少提前一天发布", sameDay.Message);
        var twice = await Assert.ThrowsAsync<ActionRefusedException>(() => PublishAsync(new DateOnly(2026, 11, 17)));
        Assert.Contains("已有接访安排", twice.Message);
        // Only duty officers publish; a Leader sees his own schedule.
        await Assert.ThrowsAsync<ActionRefusedException>(() => PublishAsync(new DateOnly(2026, 11, 18), Service(Roles.Leader, _leaderId)));
        var mine = await Service(Roles.Leader, _leaderId).MineAsync(Ct);
        Assert.Equal([id], mine.Select(d => d.Id));
        await using var ctx = _db.CreateDbContext();
        Assert.Contains(await ctx.AuditEntries.ToListAsync(Ct), a => a.Entity == nameof(ReceptionDay) && a.Action == AuditActions.Create);
    }

    [Fact]
    public async Task Capacity_CountsBookingsAndWalkIns_AndTheNextOneIsRefused()
    {
        var small = Service(Roles.DutyOfficer, options: new ReceptionOptions { Capacity = 2 });
        var dayId = await PublishAsync(new DateOnly(2026, 11, 17), small);
        await small.BookAsync(dayId, NewMatter("张三", IdZhang, _county), Ct);
        MoveTo(new DateOnly(2026, 11, 17));
        await small.BookAsync(dayId, new BookingInput { Name = "李四", IdNumber = IdLi, CaseNumber = null, Locality = "临川区", Category = "劳动和社会保障",
            Demand = "要求补缴社会保险", UnitId = _county, WalkIn = true }, Ct);

        var full = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            small.BookAsync(dayId, NewMatter("王五", null, _county).AsWalkIn(), Ct));
        Assert.Contains("接访人数已满：该场次可接待 2 批，已预约 2 批", full.Message);
    }

    [Fact]
    public async Task WalkIns_AreOnlyAddedOnTheDay_AndBookingsOnlyBefore()
    {
        var dayId = await PublishAsync(new DateOnly(2026, 11, 17));
        var early = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer.BookAsync(dayId, NewMatter("张三", IdZhang, _county).AsWalkIn(), Ct));
        Assert.Contains("当日来访：只能在接访当日（2026-11-17）添加", early.Message);
        MoveTo(new DateOnly(2026, 11, 17));
        var late = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer.BookAsync(dayId, NewMatter("张三", IdZhang, _county), Ct));
        Assert.Contains("当日来访请用“当日来访”添加", late.Message);

        var id = await Officer.BookAsync(dayId, NewMatter("张三", IdZhang, _county).AsWalkIn(), Ct);
        var view = await Officer.DayAsync(dayId, Ct);
        var booking = Assert.Single(view!.Bookings);
        Assert.Equal((id, true, "110105********002X"), (booking.Id, booking.WalkIn, booking.MaskedIdNumber));
        // The new person is stored through the protector and found again through the keyed hash, never in clear.
        var found = Assert.Single(await Officer.FindPetitionersAsync(IdZhang, Ct));
        Assert.Equal(("张三", "110105********002X"), (found.Name, found.MaskedIdNumber));
        await using var ctx = _db.CreateDbContext();
        Assert.DoesNotContain(IdZhang, (await ctx.Petitioners.SingleAsync(Ct)).IdNumber);
    }

    [Fact]
    public async Task NewMatter_IsRegisteredAsAVisitOnTheReceptionDate_AndDispatchedWithADeadlineAcrossTheNationalDay()
    {
        // Reception on Wednesday 2026-09-16: 15 calendar days end on 10-01, inside 国庆 10-01…10-07, so the deadline moves to 10-08.
        MoveTo(new DateOnly(2026, 9, 15));
        var dayId = await PublishAsync(new DateOnly(2026, 9, 16));
        MoveTo(new DateOnly(2026, 9, 16));
        Assert.Equal(new DateOnly(2026, 10, 8), Officer.DispatchDeadline(new DateOnly(2026, 9, 16)).Due);
        var bookingId = await Officer.BookAsync(dayId, NewMatter("张三", IdZhang, _county, people: 2).AsWalkIn(), Ct);

        var input = Attended(ReceptionDecision.Dispatched);
        input.DispatchUnitId = _dept;
        var outcome = await Officer.RecordAsync(bookingId, input, Ct);

        Assert.Contains("期限 2026-10-08", outcome.Message);
        await using var ctx = _db.CreateDbContext();
        var p = await ctx.Petitions.Include(x => x.Events).SingleAsync(x => x.CaseNumber == outcome.CaseNumber, Ct);
        Assert.Equal((PetitionForm.Visit, new DateOnly(2026, 9, 16), 2, (DateOnly?)new DateOnly(2026, 9, 16)), (p.Form, p.ReceivedOn, p.PeopleCount, p.LeaderReceptionOn));
        Assert.Equal((PetitionState.Dispatched, _dept, (DateOnly?)new DateOnly(2026, 10, 8)), (p.State, p.UnitId, p.CurrentDueDate));
        var e = Assert.Single(p.Events, x => x.Kind == PetitionEventKind.LeaderReception);
        Assert.Contains("交办 市人力资源和社会保障局，期限 2026-10-08", e.Detail);
        var b = await ctx.ReceptionBookings.SingleAsync(Ct);
        Assert.Equal((p.Id, (DateOnly?)new DateOnly(2026, 10, 8), ReceptionDecision.Dispatched), (b.PetitionId, b.DecisionDueOn, b.Decision));
        Assert.Contains(await ctx.AuditEntries.ToListAsync(Ct), a => a.Entity == nameof(ReceptionBooking) && a.Field == nameof(ReceptionBooking.Decision) && a.NewValue == "交办");
        var again = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer.RecordAsync(bookingId, input, Ct));
        Assert.Contains("已有接访记录", again.Message);
    }

    [Fact]
    public async Task ReceptionMatter_GoesThroughRepeatDetection_AndJoinsTheEarlierThreadWhenTheOfficerSaysSo()
    {
        var earlier = await RegisterEarlierAsync("张三", IdZhang, new DateOnly(2026, 10, 20));
        var dayId = await PublishAsync(new DateOnly(2026, 11, 17));
        var bookingId = await Officer.BookAsync(dayId, NewMatter("张三", IdZhang, _county, demand: "要求补发拖欠的工资，共三个月。"), Ct);
        MoveTo(new DateOnly(2026, 11, 17));

        var candidate = Assert.Single(await Officer.CandidatesAsync(bookingId, Ct));
        Assert.True(candidate.IsSameMatter);
        var undecided = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Officer.RecordAsync(bookingId, Attended(ReceptionDecision.AnsweredOnSpot, RepeatChoice.Undecided), Ct));
        Assert.Contains("重复件判定：发现 1 条疑似重复的信访事项链", undecided.Message);
        await using (var ctx = _db.CreateDbContext()) Assert.Equal(1, await ctx.Petitions.CountAsync(Ct)); // nothing written

        var input = Attended(ReceptionDecision.AnsweredOnSpot, RepeatChoice.RepeatOf);
        input.RepeatOfPetitionId = earlier.PetitionId;
        var outcome = await Officer.RecordAsync(bookingId, input, Ct);

        await using var check = _db.CreateDbContext();
        var repeat = await check.Petitions.SingleAsync(p => p.CaseNumber == outcome.CaseNumber, Ct);
        Assert.Equal((true, earlier.ThreadId, PetitionState.Registered), (repeat.IsRepeat, repeat.ThreadId, repeat.State));
    }

    [Fact]
    public async Task ConvertToAssignment_OpensA包案ForTheReceivingLeader_InOneStep()
    {
        var earlier = await RegisterEarlierAsync("李四", IdLi, new DateOnly(2026, 11, 2));
        var dayId = await PublishAsync(new DateOnly(2026, 11, 17));
        var bookingId = await Officer.BookAsync(dayId, new BookingInput { PetitionerId = await PetitionerIdAsync(), CaseNumber = earlier.CaseNumber }, Ct);
        MoveTo(new DateOnly(2026, 11, 17));

        var outcome = await Officer.RecordAsync(bookingId, Attended(ReceptionDecision.Assigned), Ct);

        Assert.Equal(earlier.CaseNumber, outcome.CaseNumber);
        await using var ctx = _db.CreateDbContext();
        var a = await ctx.LeaderAssignments.SingleAsync(Ct);
        Assert.Equal((_leaderId, earlier.ThreadId, _county, "王科长"), (a.LeaderId, a.ThreadId, a.LeadUnitId, a.ResponsiblePerson));
        Assert.Equal(a.Id, (await ctx.ReceptionBookings.SingleAsync(Ct)).AssignmentId);
        Assert.Equal(new DateOnly(2026, 11, 17), (await ctx.Petitions.SingleAsync(Ct)).LeaderReceptionOn);
        // The Leader reads the record on the case page; he may not record one himself.
        var seen = Assert.Single(await new PetitionDashboard.Features.Cases.CaseReceptionsQuery(_db, new AccessGuard(FixedCurrentUser.For("u-leader", [Roles.Leader], _leaderId))).ForCaseAsync(earlier.CaseNumber, Ct));
        Assert.Equal(ReceptionDecision.Assigned, seen.Decision);
        await Assert.ThrowsAsync<ActionRefusedException>(() => Service(Roles.Leader, _leaderId).RecordAsync(bookingId, Attended(ReceptionDecision.Assigned), Ct));
    }

    [Fact]
    public async Task ARecordUnderWay_RefusesASecondOfficer_BeforeAnythingIsWritten_AClaimLeftByADeadNodeIsTakenOver()
    {
        var dayId = await PublishAsync(new DateOnly(2026, 11, 17));
        MoveTo(new DateOnly(2026, 11, 17));
        var bookingId = await Officer.BookAsync(dayId, NewMatter("张三", IdZhang, _county).AsWalkIn(), Ct);
        async Task ClaimedAgoAsync(TimeSpan ago)
        {
            await using var ctx = _db.CreateDbContext();
            await ctx.ReceptionBookings.Where(b => b.Id == bookingId)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.RecordingSinceUtc, _clock.GetUtcNow().UtcDateTime - ago), Ct);
        }

        // Another officer's record of this booking started a minute ago (its registration may be under way).
        await ClaimedAgoAsync(TimeSpan.FromMinutes(1));
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer.RecordAsync(bookingId, Attended(ReceptionDecision.AnsweredOnSpot), Ct));
        Assert.Contains("正由他人记录", refused.Message);
        await using (var ctx = _db.CreateDbContext())
        {
            Assert.Equal(0, await ctx.Petitions.CountAsync(Ct));
            Assert.Null((await ctx.ReceptionBookings.SingleAsync(Ct)).Attended);
        }

        // A claim older than the limit was left by a node that stopped mid-record: this record takes it over.
        await ClaimedAgoAsync(ReceptionService.StaleClaim + TimeSpan.FromMinutes(1));
        var outcome = await Officer.RecordAsync(bookingId, Attended(ReceptionDecision.AnsweredOnSpot), Ct);
        await using var check = _db.CreateDbContext();
        Assert.Equal(outcome.CaseNumber, (await check.Petitions.SingleAsync(Ct)).CaseNumber);
        var booking = await check.ReceptionBookings.SingleAsync(Ct);
        Assert.Equal((true, (DateTime?)null), (booking.Attended, booking.RecordingSinceUtc));
        var again = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer.RecordAsync(bookingId, Attended(ReceptionDecision.AnsweredOnSpot), Ct));
        Assert.Contains("已有接访记录", again.Message);
    }

    [Fact]
    public async Task ARecordThatFails_ReleasesTheBooking_SoTheOfficerCanRecordItAgain()
    {
        var earlier = await RegisterEarlierAsync("李四", IdLi, new DateOnly(2026, 11, 2));
        var guard = new AccessGuard(FixedCurrentUser.For("u-officer", [Roles.DutyOfficer]));
        await new AssignmentService(_db, _clock, TestRules.Deadlines(), guard, NullLogger<AssignmentService>.Instance).AssignAsync(earlier.CaseNumber,
            new AssignmentPlan { LeaderId = _leaderId, LeadUnitId = _county, ResponsiblePerson = "赵科长", Plan = "先行约谈" }, Ct);
        var dayId = await PublishAsync(new DateOnly(2026, 11, 17));
        var bookingId = await Officer.BookAsync(dayId, new BookingInput { PetitionerId = await PetitionerIdAsync(), CaseNumber = earlier.CaseNumber }, Ct);
        MoveTo(new DateOnly(2026, 11, 17));

        // 转为包案 of a matter already under a 包案 is refused by the assignment step, after the booking was claimed.
        var refused = await Assert.ThrowsAsync<ActionRefusedException>(() => Officer.RecordAsync(bookingId, Attended(ReceptionDecision.Assigned), Ct));
        Assert.Contains("包案", refused.Message);
        await using (var ctx = _db.CreateDbContext())
        {
            var booking = await ctx.ReceptionBookings.SingleAsync(Ct);
            Assert.Equal(((bool?)null, (DateTime?)null), (booking.Attended, booking.RecordingSinceUtc));
        }

        var outcome = await Officer.RecordAsync(bookingId, Attended(ReceptionDecision.AnsweredOnSpot), Ct);
        Assert.Equal(earlier.CaseNumber, outcome.CaseNumber);
    }

    [Fact]
    public async Task Visit_LinksThePetitionsHandledOnTheSpot_AndCountsForItsLocality()
    {
        var earlier = await RegisterEarlierAsync("李四", IdLi, new DateOnly(2026, 11, 2));
        var unknown = await Assert.ThrowsAsync<ActionRefusedException>(() =>
            Officer.RecordVisitAsync(new VisitInput(_leaderId, "临川区", new DateOnly(2026, 11, 16), "走访", $"{earlier.CaseNumber}、LC0"), Ct));
        Assert.Contains("信访编号不存在：LC0", unknown.Message);
        await Officer.RecordVisitAsync(new VisitInput(_leaderId, "临川区", new DateOnly(2026, 11, 16), "到村走访，当场答复", earlier.CaseNumber), Ct);

        var visits = await Officer.VisitsAsync(new(2026, 11, 1), new(2026, 11, 30), Ct);
        Assert.Equal([earlier.CaseNumber], Assert.Single(visits).CaseNumbers);
        Assert.Equal([new LocalityVisitCount("临川区", 1, 1)], ReceptionService.CountByLocality(visits));
    }

    /// <summary>
    /// Week 2026-W47 (11-16…11-22), worked by hand:
    /// 11-17 reception: 张三 (new matter, 临川区, 2 people) 当场答复 and replied 11-19; 李四 (existing petition of 东乡区, 1) 交办;
    /// 王五 booked but not attended; 赵六 (new matter booked for 市人社局, 3 people) 不属于信访事项.
    /// 11-10 (W46) reception: 孙七 (临川区, 1) 当场答复, replied 11-18 — its record counts in W46, its 化解 in W47.
    /// A petition replied in W47 that no Leader received does not count.
    /// W47: 临川区 batches 1 / people 2 / 化解 2; 东乡区 1 / 1 / 0; 市人社局 1 / 3 / 0; 南城县 0 / 0 / 0; all units 3 / 6 / 2.
    /// W46: 临川区 1 / 1 / 0. W45: all zero.
    /// </summary>
    [Fact]
    public async Task WeeklyFigures_OfAHandWorkedWeek_PerUnitAndAllUnits_IncludingZero()
    {
        MoveTo(new DateOnly(2026, 11, 9));
        var w46 = await PublishAsync(new DateOnly(2026, 11, 10));
        MoveTo(new DateOnly(2026, 11, 10));
        var sun = await Officer.BookAsync(w46, NewMatter("孙七", "361002197506200040", _county, demand: "要求解决养老保险待遇").AsWalkIn(), Ct);
        var sunCase = (await Officer.RecordAsync(sun, Attended(ReceptionDecision.AnsweredOnSpot), Ct)).CaseNumber!;

        var li = await RegisterEarlierAsync("李四", IdLi, new DateOnly(2026, 11, 12), _otherCounty, "东乡区");
        var unrelated = await RegisterEarlierAsync("周八", "36100219920808006X", new DateOnly(2026, 11, 12), _county, "临川区", "要求支付加班费");
        MoveTo(new DateOnly(2026, 11, 16));
        var w47 = await PublishAsync(new DateOnly(2026, 11, 17));
        var zhang = await Officer.BookAsync(w47, NewMatter("张三", IdZhang, _county, people: 2), Ct);
        var liBooking = await Officer.BookAsync(w47, new BookingInput { PetitionerId = await PetitionerIdAsync("李四"), CaseNumber = li.CaseNumber }, Ct);
        var wang = await Officer.BookAsync(w47, NewMatter("王五", null, _county, demand: "要求解决子女入学"), Ct);
        var zhao = await Officer.BookAsync(w47, NewMatter("赵六", "361002199003150036", _dept, demand: "咨询个人所得税政策", people: 3), Ct);
        MoveTo(new DateOnly(2026, 11, 17));
        var zhangCase = (await Officer.RecordAsync(zhang, Attended(ReceptionDecision.AnsweredOnSpot), Ct)).CaseNumber!;
        var dispatch = Attended(ReceptionDecision.Dispatched);
        dispatch.DispatchUnitId = _otherCounty;
        await Officer.RecordAsync(liBooking, dispatch, Ct);
        await Officer.RecordAsync(wang, new ReceptionRecordInput { Attended = false }, Ct);
        var none = await Officer.RecordAsync(zhao, Attended(ReceptionDecision.NotPetitionMatter), Ct);
        Assert.Null(none.CaseNumber);
        await using (var ctx = _db.CreateDbContext())
        {
            await MarkRepliedAsync(ctx, zhangCase, new DateOnly(2026, 11, 19));
            await MarkRepliedAsync(ctx, sunCase, new DateOnly(2026, 11, 18));
            await MarkRepliedAsync(ctx, unrelated.CaseNumber, new DateOnly(2026, 11, 20));
        }
        MoveTo(new DateOnly(2026, 11, 23));

        var calculator = new WeeklyStatisticsCalculator(TestRules.Deadlines(), Options.Create(new BacklogOptions()), Options.Create(new PetitionOptions()));
        async Task<Dictionary<int, (int, int, int)>> WeekAsync(int week)
        {
            await using var ctx = _db.CreateDbContext();
            var rows = await calculator.ComputeAsync(ctx, new IsoWeek(2026, week), _clock.GetUtcNow().UtcDateTime, Ct);
            return rows.ToDictionary(r => r.UnitId ?? 0, r => (r.ReceptionBatches, r.ReceptionPeople, r.ReceptionResolved));
        }

        var w47Rows = await WeekAsync(47);
        Assert.Equal((1, 2, 2), w47Rows[_county]);
        Assert.Equal((1, 1, 0), w47Rows[_otherCounty]);
        Assert.Equal((1, 3, 0), w47Rows[_dept]);
        Assert.Equal((0, 0, 0), w47Rows[_quietUnit]);
        Assert.Equal((3, 6, 2), w47Rows[0]);
        var w46Rows = await WeekAsync(46);
        Assert.Equal((1, 1, 0), w46Rows[_county]);
        Assert.Equal((1, 1, 0), w46Rows[0]);
        Assert.All(await WeekAsync(45), r => Assert.Equal((0, 0, 0), r.Value));

        // 11-24 (W48): 孙七's case moves to the department (the dated unit change every 转送 writes). W46 and W47 still
        // count its reception and its reply for the unit it had at their end (§8), W48 would count it for the new one.
        await using (var ctx = _db.CreateDbContext())
        {
            var p = await ctx.Petitions.SingleAsync(x => x.CaseNumber == sunCase, Ct);
            p.UnitId = _dept;
            PetitionHistory.UnitChanged(p, _county, new DateOnly(2026, 11, 24), _clock.GetUtcNow().UtcDateTime);
            await ctx.SaveChangesAsync(Ct);
        }
        Assert.Equal(w46Rows, await WeekAsync(46));
        Assert.Equal(w47Rows, await WeekAsync(47));
    }

    private static async Task MarkRepliedAsync(PetitionDashboard.Data.AppDbContext ctx, string caseNumber, DateOnly on)
    {
        var p = await ctx.Petitions.SingleAsync(x => x.CaseNumber == caseNumber, Ct);
        p.RepliedOn = on;
        p.State = PetitionState.Replied;
        p.CurrentDueDate = null;
        await ctx.SaveChangesAsync(Ct);
    }

    private async Task<int> PetitionerIdAsync(string name = "李四")
    {
        await using var ctx = _db.CreateDbContext();
        return await ctx.Petitioners.Where(p => p.Name == name).Select(p => p.Id).SingleAsync(Ct);
    }

    /// <summary>A petition registered at the counter (not at a reception), by a duty officer, on <paramref name="on"/>.</summary>
    private async Task<RegistrationResult> RegisterEarlierAsync(
        string name, string id, DateOnly on, int? unitId = null, string locality = "临川区", string demand = Wages)
    {
        var guard = new AccessGuard(FixedCurrentUser.For("登记员", [Roles.DutyOfficer]));
        var detection = new RepeatDetectionService(_db, Options.Create(new RepeatOptions()), guard, TestPersonalData.Protector);
        var registration = new RegistrationService(_db, detection, new ThreadLinkingService(_db, _clock, guard), TestRules.Deadlines(), _clock, guard, TestPersonalData.Protector);
        // Registration refuses a received date after today: the clock moves forward to it when needed (and stays there).
        if (TestClock.AtShanghai(on.Year, on.Month, on.Day).Now > _clock.Now) MoveTo(on);
        return await registration.RegisterAsync(new RegistrationDraft
        {
            Petitioners = [new PetitionerDraft(name, id, null)], Form = PetitionForm.Letter, PeopleCount = 1, Locality = locality,
            Category = "劳动和社会保障", Demand = demand, UnitId = unitId ?? _county, ReceivedOn = on, Choice = RepeatChoice.NewMatter,
        }, Ct);
    }
}

internal static class BookingInputExtensions
{
    /// <summary>The same booking as a 当日来访.</summary>
    public static BookingInput AsWalkIn(this BookingInput input)
    {
        input.WalkIn = true;
        return input;
    }
}
