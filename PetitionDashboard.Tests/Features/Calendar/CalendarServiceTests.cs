using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using PetitionDashboard.Data;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Calendar;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Calendar;

public sealed class CalendarServiceTests : IAsyncLifetime
{
    private readonly string _adminFolder = Path.Combine(Path.GetTempPath(), $"pd-cal-{Guid.NewGuid():N}");
    private TestDatabase _db = null!;
    private CalendarStore _store = null!;
    private CalendarService _service = null!;
    // 2026-12-20: a petition received that day has its first decision due 2027-01-04 (Monday) with weekends only.
    private readonly TestClock _clock = TestClock.AtShanghai(2026, 12, 21);

    public async ValueTask InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _store = new CalendarStore(Options.Create(new CalendarOptions { Folder = _adminFolder }), null, _db, _clock);
        await _store.SeedAsync(TestContext.Current.CancellationToken);
        _service = new CalendarService(_store, _db, Options.Create(new DeadlineOptions()), _clock,
            new AccessGuard(FixedCurrentUser.For("管理员甲", [Roles.SystemAdmin])));
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        if (Directory.Exists(_adminFolder)) Directory.Delete(_adminFolder, true);
    }

    private const string Calendar2027 = """
        { "year": 2027, "source": "测试通知", "holidays": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-05" } ],
          "makeUpWorkdays": [ "2027-01-09" ] }
        """;

    [Fact]
    public async Task SavingAYear_MovesOpenDeadlinesThatCrossIt_AndRecordsAnEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        var (openId, closedId) = await SeedAsync(new DateOnly(2026, 12, 20));

        var result = await _service.SaveYearAsync(Calendar2027, ct);

        Assert.Equal(2027, result.Year);
        Assert.Equal(1, result.OpenPetitionsChecked);
        Assert.Equal(1, result.DeadlinesChanged);
        await using var ctx = _db.CreateDbContext();
        var open = await ctx.Petitions.Include(p => p.Events).SingleAsync(p => p.Id == openId, ct);
        // 12-20 + 15 = 2027-01-04, now inside the 01-01…01-05 holiday → next working day 2027-01-06.
        Assert.Equal(new DateOnly(2027, 1, 6), open.CurrentDueDate);
        var e = Assert.Single(open.Events, x => x.Kind == PetitionEventKind.DeadlineRecomputed);
        Assert.Equal("当前期限 2027-01-04 → 2027-01-06", e.Detail);
        Assert.Equal("管理员甲", e.Actor);
        var closed = await ctx.Petitions.Include(p => p.Events).SingleAsync(p => p.Id == closedId, ct);
        Assert.DoesNotContain(closed.Events, x => x.Kind == PetitionEventKind.DeadlineRecomputed);
        Assert.True(_store.Calendar.HasYear(2027));
        Assert.Contains(_service.Years(), y => y.Year.Year == 2027 && y.AddedByAdmin);
    }

    [Fact]
    public async Task SavingTheSameYearTwice_ChangesNothingTheSecondTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await SeedAsync(new DateOnly(2026, 12, 20));
        await _service.SaveYearAsync(Calendar2027, ct);

        var again = await _service.SaveYearAsync(Calendar2027, ct);

        Assert.Equal(0, again.DeadlinesChanged);
    }

    [Theory]
    [InlineData("not json", "节假日文件格式错误")]
    [InlineData("""{ "year": 1999 }""", "年份")]
    [InlineData("""{ "year": 2027, "holidays": [ { "name": "春节", "from": "2027-02-10", "to": "2027-02-01" } ] }""", "开始日期晚于结束日期")]
    [InlineData("""{ "year": 2027, "holidays": [ { "name": "春节", "from": "2027-02-06", "to": "2027-02-12" } ], "makeUpWorkdays": ["2027-02-07"] }""", "同时被列为节假日")]
    public async Task ABadFile_IsRefusedWithItsReason_AndNothingChanges(string json, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        var (openId, _) = await SeedAsync(new DateOnly(2026, 12, 20));

        var ex = await Assert.ThrowsAsync<ActionRefusedException>(() => _service.SaveYearAsync(json, ct));

        Assert.Contains(reason, ex.Message);
        Assert.False(_store.Calendar.HasYear(2027));
        await using var ctx = _db.CreateDbContext();
        Assert.Equal(new DateOnly(2027, 1, 4), (await ctx.Petitions.SingleAsync(p => p.Id == openId, ct)).CurrentDueDate);
    }

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.DutyOfficer)]
    public async Task OnlyAnAdmin_MayChangeTheCalendar(string role)
    {
        var service = new CalendarService(_store, _db, Options.Create(new DeadlineOptions()), _clock,
            new AccessGuard(FixedCurrentUser.For("某人", [role])));

        await Refused.NotAllowedAsync(() => service.SaveYearAsync(Calendar2027, TestContext.Current.CancellationToken));
        Refused.NotAllowed(() => service.Years());
        Assert.False(_store.Calendar.HasYear(2027));
    }

    private async Task<(int Open, int Closed)> SeedAsync(DateOnly receivedOn)
    {
        var deadlines = TestRules.Deadlines();
        await using var ctx = _db.CreateDbContext();
        var unit = new Unit { Name = "临川区", Kind = UnitKind.County };
        var thread = new PetitionThread { FirstReceivedOn = receivedOn, LastReceivedOn = receivedOn, PetitionCount = 2 };
        Petition Make(string number) => new()
        {
            CaseNumber = number, Form = PetitionForm.Letter, Locality = "临川区", Category = "城乡建设", Demand = "道路破损",
            PetitionerNames = "张三", Unit = unit, Thread = thread, ReceivedOn = receivedOn,
        };
        var open = Make("LC2026-0001");
        PetitionLifecycle.Register(open, DateTime.UtcNow, "登记员", deadlines);
        var closed = Make("LC2026-0002");
        PetitionLifecycle.Register(closed, DateTime.UtcNow, "登记员", deadlines);
        PetitionLifecycle.Transition(closed, PetitionState.Filed, receivedOn.AddDays(1), DateTime.UtcNow, "登记员", null, deadlines);
        ctx.Petitions.AddRange(open, closed);
        await ctx.SaveChangesAsync();
        return (open.Id, closed.Id);
    }
}
