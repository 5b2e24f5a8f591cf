using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Registration;
using PetitionDashboard.Features.Repeats;
using PetitionDashboard.Features.Threads;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Repeats;

/// <summary>
/// A temporary database with a few units, the real registration / detection / linking / report services, and a clock pinned
/// to 2026-11-23 09:00 Shanghai. Petitions are registered through the real registration service.
/// </summary>
public sealed class RepeatWorld : IAsyncDisposable
{
    // Valid GB 11643 numbers (check digits worked out by hand: Σ digit × weight mod 11 → "10X98765432").
    public const string IdZhang = "11010519491231002X";
    public const string IdLi = "361002198001010019";
    public const string IdWang = "361002198512120025";
    public const string IdZhao = "361002199003150036";
    public const string IdSun = "361002197506200040";
    public const string IdZhou = "36100219920808006X";

    public const string Locality = "临川区";
    public const string OtherLocality = "东乡区";
    public const string Category = "劳动和社会保障";
    public const string Wages = "要求补发拖欠的工资，共计三个月。";

    public static readonly DateOnly Today = new(2026, 11, 23);

    private RepeatWorld(TestDatabase db, TestClock clock, RepeatOptions options, ICurrentUser user)
    {
        Db = db;
        Clock = clock;
        User = user;
        var opts = Options.Create(options);
        var guard = new AccessGuard(user);
        Detection = new RepeatDetectionService(db, opts, guard, PetitionDashboard.Tests.Support.TestPersonalData.Protector);
        Linking = new ThreadLinkingService(db, clock, guard);
        Registration = new RegistrationService(db, Detection, Linking, TestRules.Deadlines(), clock, guard, PetitionDashboard.Tests.Support.TestPersonalData.Protector);
        Reports = new RepeatReportService(db, opts, guard, PetitionDashboard.Tests.Support.TestPersonalData.Protector);
        Threads = new ThreadService(db, Linking, Detection, guard);
    }

    /// <summary>The same database seen by another user (services built with that user's guard).</summary>
    public RepeatWorld As(ICurrentUser user) => new(Db, Clock, new RepeatOptions(), user) { UnitId = UnitId, _owner = false };

    private bool _owner = true;

    public ICurrentUser User { get; }

    public TestDatabase Db { get; }
    public TestClock Clock { get; }
    public RepeatDetectionService Detection { get; }
    public ThreadLinkingService Linking { get; }
    public RegistrationService Registration { get; }
    public RepeatReportService Reports { get; }
    public ThreadService Threads { get; }
    public int UnitId { get; private set; }

    /// <summary>A world acting as the duty officer 值班员甲.</summary>
    /// <param name="audited">with the app's audit interceptor on every context, for tests of what the trail stores.</param>
    public static async Task<RepeatWorld> CreateAsync(RepeatOptions? options = null, bool audited = false)
    {
        var clock = TestClock.AtShanghai(2026, 11, 23);
        var db = audited ? await TestDatabase.CreateAsync(new AuditInterceptor(new AuditActorAccessor(), clock, PetitionDashboard.Tests.Support.TestPersonalData.Protector)) : await TestDatabase.CreateAsync();
        var world = new RepeatWorld(db, clock, options ?? new RepeatOptions(), FixedCurrentUser.For("值班员甲", [Roles.DutyOfficer]));
        await using var ctx = world.Db.CreateDbContext();
        ctx.Units.AddRange(
            new Unit { Name = Locality, Kind = UnitKind.County },
            new Unit { Name = OtherLocality, Kind = UnitKind.County },
            new Unit { Name = "市人力资源和社会保障局", Kind = UnitKind.CityDepartment });
        await ctx.SaveChangesAsync();
        world.UnitId = await ctx.Units.Where(u => u.Name == Locality).Select(u => u.Id).SingleAsync();
        return world;
    }

    public RegistrationDraft Draft(
        string demand = Wages, string? name = "张三", string? id = IdZhang, string? phone = null, DateOnly? receivedOn = null,
        string locality = Locality, string category = Category) => new()
    {
        Petitioners = [new PetitionerDraft(name, id, phone)],
        Form = PetitionForm.Visit,
        PeopleCount = 1,
        Locality = locality,
        Category = category,
        Purpose = PetitionPurpose.Request,
        Demand = demand,
        UnitId = UnitId,
        ReceivedOn = receivedOn ?? Today,
    };

    /// <summary>Registers as a new matter (whatever the candidates).</summary>
    public Task<RegistrationResult> RegisterNewAsync(RegistrationDraft draft)
    {
        draft.Choice = RepeatChoice.NewMatter;
        return Registration.RegisterAsync(draft, TestContext.Current.CancellationToken);
    }

    /// <summary>Registers as a repeat of <paramref name="of"/>.</summary>
    public Task<RegistrationResult> RegisterRepeatAsync(RegistrationDraft draft, RegistrationResult of, string? reason = null)
    {
        draft.Choice = RepeatChoice.RepeatOf;
        draft.RepeatOfPetitionId = of.PetitionId;
        draft.LinkReason = reason;
        return Registration.RegisterAsync(draft, TestContext.Current.CancellationToken);
    }

    public async Task<PetitionThread> ThreadAsync(int threadId)
    {
        await using var ctx = Db.CreateDbContext();
        return await ctx.Threads.AsNoTracking().SingleAsync(t => t.Id == threadId);
    }

    public async Task<Petition> PetitionAsync(int petitionId)
    {
        await using var ctx = Db.CreateDbContext();
        return await ctx.Petitions.AsNoTracking().Include(p => p.Events).SingleAsync(p => p.Id == petitionId);
    }

    public async Task<List<Petition>> ThreadPetitionsAsync(int threadId)
    {
        await using var ctx = Db.CreateDbContext();
        return await ctx.Petitions.AsNoTracking().Where(p => p.ThreadId == threadId).OrderBy(p => p.ReceivedOn).ThenBy(p => p.Id).ToListAsync();
    }

    public ValueTask DisposeAsync() => _owner ? Db.DisposeAsync() : ValueTask.CompletedTask;
}
