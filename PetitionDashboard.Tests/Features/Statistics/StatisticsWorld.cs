using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Scoring;
using PetitionDashboard.Features.Statistics;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Statistics;

/// <summary>
/// A small hand-built data set around ISO week 2026-W46 (Mon 2026-11-09 … Sun 2026-11-15). Expected figures for it were
/// worked out by hand and are written next to each assertion in <see cref="WeeklyFiguresTests"/>.
/// Units: 甲县 (A), 乙局 (B), 丙镇 (C, no petitions: every rate "—").
/// </summary>
public sealed class StatisticsWorld : IAsyncDisposable
{
    public static readonly IsoWeek W45 = new(2026, 45);
    public static readonly IsoWeek W46 = new(2026, 46);
    public static readonly IsoWeek W47 = new(2026, 47);

    private int _next = 1;

    private StatisticsWorld(TestDatabase db, TestClock clock, StatisticsOptions options)
    {
        Db = db;
        Clock = clock;
        Options = options;
        Calculator = new WeeklyStatisticsCalculator(TestRules.Deadlines(), Microsoft.Extensions.Options.Options.Create(new BacklogOptions()),
            Microsoft.Extensions.Options.Options.Create(new PetitionOptions()));
        Recomputer = new StatisticsRecomputer(db, Calculator, Microsoft.Extensions.Options.Options.Create(options), clock);
        Report = new ReportOptions { Targets = new() { ["及时受理率"] = 0.95, ["按期答复率"] = 0.90, ["参评率"] = 0.60, ["满意率"] = 0.90 } };
        Schemes = TestScoring.Store(options, Report, Scoring);
        Service = new StatisticsService(db, Calculator, Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(Report), Schemes, clock, TestUsers.Guard(Roles.Supervisor));
    }

    public TestDatabase Db { get; }
    public TestClock Clock { get; }
    public StatisticsOptions Options { get; }
    public WeeklyStatisticsCalculator Calculator { get; }
    public StatisticsRecomputer Recomputer { get; }
    public StatisticsService Service { get; }
    public ReportOptions Report { get; }
    /// <summary>`Scoring:Scheme` of this world; a test may set it.</summary>
    public ScoringOptions Scoring { get; } = new();
    public ScoringSchemeStore Schemes { get; }
    public int A { get; private set; }
    public int B { get; private set; }
    public int C { get; private set; }

    public RecomputeCoordinator Coordinator(IServiceProvider? services = null) =>
        new(Recomputer, Db, services ?? new ServiceCollection().BuildServiceProvider(), Clock, NullLogger<RecomputeCoordinator>.Instance);

    public static readonly AccessGuard SupervisorActor = new(FixedCurrentUser.For("督查甲", [Roles.Supervisor]));
    public static readonly AccessGuard AdminActor = new(FixedCurrentUser.For("管理员", [Roles.SystemAdmin]));
    public static readonly AccessGuard LeaderActor = new(FixedCurrentUser.For("局领导", [Roles.Leader]));

    /// <summary>The page's service, as the user behind <paramref name="guard"/>.</summary>
    public StatisticsService ServiceAs(AccessGuard guard) => new(Db, Calculator, Microsoft.Extensions.Options.Options.Create(Options),
        Microsoft.Extensions.Options.Options.Create(new ReportOptions()), Schemes, Clock, guard);

    /// <summary>The 考核方案 page's service, as the user behind <paramref name="guard"/>.</summary>
    public ScoringService ScoringAs(AccessGuard guard) => new(Db, Schemes, Clock, guard);

    /// <summary>An empty database with three units; the clock on Tuesday of W47 (last full week: W46).</summary>
    public static async Task<StatisticsWorld> EmptyAsync(int historyWeeks = 4, int recomputeWeeks = 3)
    {
        var db = await TestDatabase.CreateAsync();
        var world = new StatisticsWorld(db, TestClock.AtShanghai(2026, 11, 17),
            new StatisticsOptions
            {
                RecomputeWeeks = recomputeWeeks, HistoryWeeks = historyWeeks, AmberMargin = 0.05,
                LeadershipWeights = new() { ["及时受理率"] = 0.3, ["按期答复率"] = 0.3, ["参评率"] = 0.2, ["满意率"] = 0.2 },
            });
        await using var ctx = db.CreateDbContext();
        var a = new Unit { Name = "甲县", Kind = UnitKind.County };
        var b = new Unit { Name = "乙局", Kind = UnitKind.CityDepartment };
        var c = new Unit { Name = "丙镇", Kind = UnitKind.Township };
        ctx.Units.AddRange(a, b, c);
        ctx.Leaders.Add(new Leader { Name = "王局长", Title = "局长" });
        await ctx.SaveChangesAsync();
        (world.A, world.B, world.C) = (a.Id, b.Id, c.Id);
        return world;
    }

    /// <summary>The hand-built data set P1 … P25 (see the class comment of WeeklyFiguresTests for the expected figures).</summary>
    public static async Task<StatisticsWorld> HandBuiltAsync(int historyWeeks = 4, int recomputeWeeks = 3)
    {
        var w = await EmptyAsync(historyWeeks, recomputeWeeks);
        await using var ctx = w.Db.CreateDbContext();
        var (A, B) = (w.A, w.B);
        DateOnly D(int m, int d) => new(2026, m, d);

        // Registered in W46.
        var p1 = w.Petition(ctx, "P1", A, D(11, 9));
        var p2 = w.Petition(ctx, "P2", A, BusinessTime.ToBusinessDate(new DateTime(2026, 11, 15, 15, 59, 0, DateTimeKind.Utc)),
            form: PetitionForm.Visit, people: 6);                                   // Sunday 23:59 Shanghai → W46
        var p3 = w.Petition(ctx, "P3", A, BusinessTime.ToBusinessDate(new DateTime(2026, 11, 15, 16, 0, 0, DateTimeKind.Utc)),
            form: PetitionForm.Visit, people: 8);                                   // Monday 00:00 Shanghai → W47
        var p10 = w.Petition(ctx, "P10", B, D(9, 1), accepted: D(9, 10), replied: D(11, 9), evaluation: Evaluation.Satisfied);
        var p4 = w.Petition(ctx, "P4", B, D(11, 10), form: PetitionForm.Online, repeatOf: p10);
        var p5 = w.Petition(ctx, "P5", B, D(11, 12), form: PetitionForm.Visit, people: 4);

        // First-decision deadline in W46 ⟺ received 10-23 … 10-29.
        var p6 = w.Petition(ctx, "P6", A, D(10, 23), accepted: D(11, 9));           // due 11-09, decided 11-09: on time
        var p7 = w.Petition(ctx, "P7", A, D(10, 29), accepted: D(11, 14));          // due 11-13, decided 11-14: late
        var p8 = w.Petition(ctx, "P8", B, D(10, 26));                               // due 11-10, undecided: late, overdue
        var p9 = w.Petition(ctx, "P9", B, D(10, 22), finished: D(11, 5), state: PetitionState.NotAccepted); // due 11-06 (W45)

        // Reply deadline in W46 ⟺ AcceptedOn + ExtensionDays in 09-08 … 09-14 (or 简易办理 accepted 10-26 … 11-01).
        var p11 = w.Petition(ctx, "P11", A, D(8, 1), accepted: D(8, 20), extension: 25, replied: D(11, 12),
            evaluation: Evaluation.BasicallySatisfied);                             // due 11-13, replied 11-12: on time
        var p12 = w.Petition(ctx, "P12", A, D(9, 5), accepted: D(9, 10), extension: 5, extensionOn: D(11, 2),
            replied: D(11, 16));                                                    // extension moves due 11-09 → 11-16 (W47)
        var p13 = w.Petition(ctx, "P13", B, D(9, 5), accepted: D(9, 9), extension: 10, extensionOn: D(11, 16)); // due 11-18; at W46's end still 11-09
        var p14 = w.Petition(ctx, "P14", A, D(10, 20), accepted: D(10, 30), simple: true, replied: D(11, 16)); // due 11-13: late
        var p15 = w.Petition(ctx, "P15", A, D(8, 10), accepted: D(8, 12), replied: D(11, 13));  // replied in W46, not yet evaluated
        var p16 = w.Petition(ctx, "P16", B, D(8, 15), accepted: D(8, 16), replied: D(11, 14), evaluation: Evaluation.Dissatisfied);

        // Other stages at the end of W46.
        var p17 = w.Petition(ctx, "P17", B, D(6, 1), accepted: D(6, 2), replied: D(7, 1), reviewAccepted: D(10, 10)); // review due 11-09: overdue
        var p18 = w.Petition(ctx, "P18", A, D(11, 2), dispatched: D(11, 3));        // unit acceptance due 11-18
        var p19 = w.Petition(ctx, "P19", A, D(7, 1), accepted: D(7, 2), replied: D(8, 1), finished: D(9, 1), state: PetitionState.Closed);
        var p20 = w.Petition(ctx, "P20", B, D(10, 15), dispatched: D(10, 16), accepted: D(11, 17)); // at W46's end dispatched, due 11-02: overdue

        // 积案: age cut for W46 is received before 05-19.
        var p21 = w.Petition(ctx, "P21", A, D(3, 1), accepted: D(3, 2), replied: D(4, 1), finished: D(10, 1), state: PetitionState.Closed, batch: 1);
        var p22 = w.Petition(ctx, "P22", B, D(4, 1), accepted: D(4, 2));           // aged, open, reply due 06-01: overdue
        var p23 = w.Petition(ctx, "P23", A, D(3, 10), accepted: D(3, 11), replied: D(4, 10), finished: D(5, 10), state: PetitionState.Closed);
        var p24 = w.Petition(ctx, "P24", B, D(2, 1), accepted: D(2, 2), replied: D(2, 20), finished: D(3, 1), state: PetitionState.Closed, batch: 1);
        var p25 = w.Petition(ctx, "P25", A, D(11, 5), repeatOf: p24);              // batch thread T24 still open through its repeat
        await ctx.SaveChangesAsync();

        // 领导包案.
        var leader = ctx.Leaders.Single();
        ctx.LeaderAssignments.AddRange(
            w.Assignment(leader, p10.ThreadId, B, D(10, 1), D(11, 10)),
            w.Assignment(leader, p17.ThreadId, B, D(11, 12), null),
            w.Assignment(leader, p6.ThreadId, A, D(11, 16), null));
        await ctx.SaveChangesAsync();
        _ = (p1, p2, p3, p4, p5, p7, p8, p9, p11, p12, p13, p14, p15, p16, p18, p19, p20, p21, p22, p23, p25);
        return w;
    }

    /// <summary>The hand-built data set with the given weeks (default: W46) computed.</summary>
    public static async Task<StatisticsWorld> HandBuiltComputedAsync(params IsoWeek[] weeks)
    {
        var w = await HandBuiltAsync();
        foreach (var week in weeks.Length == 0 ? [W46] : weeks)
            Assert.True(await w.Recomputer.RecomputeWeekAsync(week, w.Clock.GetUtcNow().UtcDateTime, TestContext.Current.CancellationToken));
        return w;
    }

    public Petition Petition(AppDbContext ctx, string caseNumber, int unitId, DateOnly received,
        PetitionForm form = PetitionForm.Letter, int people = 1, Petition? repeatOf = null,
        DateOnly? dispatched = null, DateOnly? accepted = null, bool simple = false, int extension = 0, DateOnly? extensionOn = null,
        DateOnly? replied = null, Evaluation? evaluation = null, DateOnly? reviewAccepted = null, DateOnly? finished = null,
        PetitionState? state = null, int? batch = null)
    {
        // A batch number names a real 集中交办 batch (a foreign key): made here, on this thread's received date, unless given.
        if (batch is { } batchId && ctx.AssignmentBatches.Find(batchId) is null)
        {
            ctx.AssignmentBatches.Add(new AssignmentBatch
            {
                Id = batchId, Name = $"第{batchId}批集中交办", CreatedOn = received, CreatedAtUtc = BusinessTime.StartOfDayUtc(received), CreatedBy = "值班员",
            });
        }
        var thread = repeatOf?.Thread ?? new PetitionThread { FirstReceivedOn = received, LastReceivedOn = received, BacklogBatchId = batch };
        thread.PetitionCount++;
        if (received > thread.LastReceivedOn) thread.LastReceivedOn = received;
        var p = TestData.PetitionRow($"{caseNumber}-{_next++:000}", received,
            state ?? (reviewAccepted is not null ? PetitionState.UnderReview
                : replied is not null ? PetitionState.Replied
                : accepted is not null ? PetitionState.InHandling
                : dispatched is not null ? PetitionState.Dispatched : PetitionState.Registered),
            unitId: unitId, thread: thread, form: form, locality: "临川区",
            category: form == PetitionForm.Visit ? "城乡建设" : "劳动和社会保障", demand: "诉求", isRepeat: repeatOf is not null);
        p.PeopleCount = people;
        (p.DispatchedOn, p.AcceptedOn, p.FirstDecisionOn) = (dispatched, accepted, dispatched ?? accepted ?? (state is PetitionState.NotAccepted ? finished : null));
        (p.SimpleProcedure, p.ExtensionDays, p.RepliedOn, p.Evaluation) = (simple, extension, replied, evaluation);
        (p.EvaluatedOn, p.ReviewAcceptedOn, p.FinishedOn) = (evaluation is null ? null : replied, reviewAccepted, finished);
        if (extensionOn is { } on)
            p.Events.Add(new PetitionEvent { Kind = PetitionEventKind.Extension, On = on, AtUtc = BusinessTime.StartOfDayUtc(on), Actor = "审批人" });
        ctx.Petitions.Add(p);
        return p;
    }

    private LeaderAssignment Assignment(Leader leader, int threadId, int unitId, DateOnly assigned, DateOnly? resolved)
    {
        var a = new LeaderAssignment
        {
            Leader = leader, ThreadId = threadId, LeadUnitId = unitId, ResponsiblePerson = "李四", Plan = "化解方案",
            AssignedOn = assigned, DueOn = assigned.AddDays(90), Status = AssignmentStatus.Active,
        };
        // Resolved as the product resolves: the dated resolution row is what the weeks read (docs/rules.md §8).
        if (resolved is { } on) AssignmentLifecycle.Resolve(a, "息诉罢访", on, "督查", []);
        return a;
    }

    public async Task<WeeklyUnitStatistic> RowAsync(IsoWeek week, int? unitId)
    {
        var report = await Service.WeekAsync(week, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException($"{week} 未统计");
        return unitId is null ? report.All : report.Units.Single(u => u.UnitId == unitId).Stats;
    }

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
