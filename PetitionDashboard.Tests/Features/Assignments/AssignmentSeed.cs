using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Assignments;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Assignments;

/// <summary>The current user, whose identity a test sets: a duty officer, a leader, a supervisor.</summary>
public sealed class TestAssignmentUser(ICurrentUser user) : ICurrentUser
{
    public ICurrentUser Current { get; set; } = user;

    public ClaimsPrincipal Principal => Current.Principal;

    public static ICurrentUser Officer(string name = "值班员小王") => FixedCurrentUser.For(name, [Roles.DutyOfficer]);

    public static ICurrentUser LeaderUser(int leaderId, string name) => FixedCurrentUser.For(name, [Roles.Leader], leaderId);

    public static ICurrentUser Supervisor(string name = "督查科老陈") => FixedCurrentUser.For(name, [Roles.Supervisor]);
}

/// <summary>The rows an assignment test needs: units, leaders, petitions in threads; ids of what it wrote.</summary>
internal sealed class AssignmentSeed
{
    public int County { get; private set; }
    public int Housing { get; private set; }
    public int Zhang { get; private set; }
    public int Li { get; private set; }

    private int _next;

    public static async Task<AssignmentSeed> CreateAsync(TestDatabase database, CancellationToken ct)
    {
        var seed = new AssignmentSeed();
        await using var db = database.CreateDbContext();
        var county = db.Units.Add(new Unit { Name = "临川区", Kind = UnitKind.County }).Entity;
        var housing = db.Units.Add(new Unit { Name = "市住建局", Kind = UnitKind.CityDepartment }).Entity;
        var zhang = db.Leaders.Add(new Leader { Name = "张三", Title = "副市长" }).Entity;
        var li = db.Leaders.Add(new Leader { Name = "李四", Title = "信访局副局长" }).Entity;
        await db.SaveChangesAsync(ct);
        (seed.County, seed.Housing, seed.Zhang, seed.Li) = (county.Id, housing.Id, zhang.Id, li.Id);
        return seed;
    }

    /// <summary>A thread of one petition (plus repeats when asked); returns the case numbers, first one first.</summary>
    public async Task<string[]> ThreadAsync(TestDatabase database, DateOnly receivedOn, PetitionState state = PetitionState.InHandling,
        int repeats = 0, PetitionState? repeatState = null, CancellationToken ct = default)
    {
        await using var db = database.CreateDbContext();
        var thread = db.Threads.Add(new PetitionThread
        {
            PetitionCount = 1 + repeats, FirstReceivedOn = receivedOn, LastReceivedOn = receivedOn.AddDays(repeats * 10),
        }).Entity;
        var numbers = new List<string>();
        for (var i = 0; i <= repeats; i++)
        {
            _next++;
            var on = receivedOn.AddDays(i * 10);
            var s = i == 0 ? state : repeatState ?? state;
            var p = TestData.PetitionRow($"LC2026{_next:000000}", on, s, unitId: County, thread: thread, form: PetitionForm.Visit,
                locality: "临川区", demand: "反映安置房逾期未交付", petitionerNames: $"王{_next}", isRepeat: i > 0);
            p.FinishedOn = PetitionLifecycle.IsFinished(s) ? on.AddDays(5) : null;
            db.Petitions.Add(p);
            numbers.Add(p.CaseNumber);
        }
        await db.SaveChangesAsync(ct);
        return [.. numbers];
    }

    public AssignmentPlan Plan(int? leaderId = null, int? leadUnitId = null) => new()
    {
        LeaderId = leaderId ?? Zhang,
        LeadUnitId = leadUnitId ?? County,
        CoUnitIds = [Housing],
        ResponsiblePerson = "赵六",
        StabilityPerson = "社区书记钱七",
        Plan = "约谈开发商，督促限期交房；每周向信访人通报进展",
    };

    public static AssignmentService Service(TestDatabase database, TimeProvider clock, ICurrentUser user, DeadlineOptions? options = null) =>
        new(database, clock, TestRules.Deadlines(options), new AccessGuard(user), NullLogger<AssignmentService>.Instance);

    public static AssignmentService Service(IDbContextFactory<AppDbContext> factory, TimeProvider clock, ICurrentUser user) =>
        new(factory, clock, TestRules.Deadlines(), new AccessGuard(user), NullLogger<AssignmentService>.Instance);
}
