using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Audit;
using PetitionDashboard.Tests.Features.Account;

namespace PetitionDashboard.Tests.Features.Audit;

public class AuditInterceptorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChangingAPetition_RecordsWhoWhenFieldOldAndNew()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var (petitionId, _) = await s.AddPetitionAsync("LC-2026-000123", "110101199003071234", "13812345678");

        using (s.ActingAs(AccountTestServices.As(Roles.Supervisor)))
        {
            await using var db = await s.Contexts.CreateDbContextAsync(Ct);
            var p = await db.Petitions.SingleAsync(x => x.Id == petitionId, Ct);
            p.Supervision = SupervisionLevel.Listed;
            p.SupervisionRaisedByHand = true;
            await db.SaveChangesAsync(Ct);
        }

        var rows = (await s.AuditEntriesAsync()).Where(a => a.Action == AuditActions.Update).ToList();
        var level = Assert.Single(rows, a => a.Field == nameof(Petition.Supervision));
        Assert.Equal("test-supervisor", level.Actor);
        Assert.Equal("LC-2026-000123", level.CaseNumber);
        Assert.Equal(nameof(Petition), level.Entity);
        Assert.Equal(SupervisionLevel.None.ToChinese(), level.OldValue);
        Assert.Equal("挂牌督办", level.NewValue);
        Assert.Equal(s.Clock.GetUtcNow().UtcDateTime, level.AtUtc);
        Assert.Contains(rows, a => a.Field == nameof(Petition.SupervisionRaisedByHand) && a.OldValue == "否" && a.NewValue == "是");
        // The concurrency token changes on every save but is not a change anybody made.
        Assert.DoesNotContain(rows, a => a.Field == nameof(Petition.Version));
        // The trail is searched by user name whatever the case typed, on every provider.
        var found = (await s.AuditQuery(AccountTestServices.As(Roles.AuditAdmin)).SearchAsync(new AuditFilter(Person: "TEST-SUPER"), 0, 50, Ct)).Rows;
        Assert.Contains(found, r => r.Field == nameof(Petition.Supervision));
        Assert.All(found, r => Assert.Equal("test-supervisor", r.Actor));
        Assert.Empty((await s.AuditQuery(AccountTestServices.As(Roles.AuditAdmin)).SearchAsync(new AuditFilter(Person: "test-systemadmin"), 0, 50, Ct)).Rows);
    }

    [Fact]
    public async Task InsertsWithGeneratedKeys_AreRecordedWithTheRealKeyAndCaseNumber()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var (petitionId, petitionerId) = await s.AddPetitionAsync("LC-2026-000124", "110101199003071234", "13812345678");

        var rows = await s.AuditEntriesAsync();
        var created = Assert.Single(rows, a => a.Entity == nameof(Petition) && a.Action == AuditActions.Create);
        Assert.Equal(petitionId.ToString(), created.EntityKey);
        Assert.Equal("LC-2026-000124", created.CaseNumber);
        Assert.Equal(AuditActorAccessor.SystemActor, created.Actor);
        Assert.Contains(rows, a => a.Entity == nameof(Petitioner) && a.Action == AuditActions.Create && a.EntityKey == petitionerId.ToString());
        Assert.Contains(rows, a => a.Entity == nameof(PetitionPetitioner) && a.Action == AuditActions.Create && a.CaseNumber == "LC-2026-000124");
        // The thread learnt its first petition in a second save: an update naming the petition by its case number (read
        // with the real key: a temporary one would name no petition).
        Assert.Contains(rows, a => a.Entity == nameof(PetitionThread) && a.Field == nameof(PetitionThread.FirstPetitionId) && a.NewValue == "LC-2026-000124"
                                   && a.CaseNumber == "LC-2026-000124");
        // Personal numbers are not copied into the description of a new petitioner.
        Assert.DoesNotContain(rows, a => (a.Detail ?? "").Contains("110101199003071234"));
    }

    [Fact]
    public async Task MovingAPetitionToAThreadMadeInTheSameSave_RecordsTheRealThreadNumber_NotATemporaryKey()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var (petitionId, _) = await s.AddPetitionAsync("LC-2026-000125", "110101199003071234", "13812345678");
        int oldThread, newThread;

        using (s.ActingAs(AccountTestServices.As(Roles.DutyOfficer)))
        {
            await using var db = await s.Contexts.CreateDbContextAsync(Ct);
            var p = await db.Petitions.SingleAsync(x => x.Id == petitionId, Ct);
            oldThread = p.ThreadId;
            // What 移出此链 does: the petition gets a thread of its own, inserted in the same save.
            var thread = new PetitionThread { FirstReceivedOn = p.ReceivedOn, LastReceivedOn = p.ReceivedOn, PetitionCount = 1 };
            p.Thread = thread;
            await db.SaveChangesAsync(Ct);
            newThread = thread.Id;
        }

        Assert.True(newThread > 0);
        var moved = Assert.Single(await s.AuditEntriesAsync(), a => a.Entity == nameof(Petition) && a.Field == nameof(Petition.ThreadId));
        Assert.Equal((oldThread.ToString(), newThread.ToString()), (moved.OldValue, moved.NewValue));
        Assert.Equal(("test-dutyofficer", "LC-2026-000125"), (moved.Actor, moved.CaseNumber));
    }

    [Fact]
    public async Task FailedSave_LeavesNeitherTheChangeNorItsAuditRows()
    {
        await using var s = await AccountTestServices.CreateAsync();
        await s.AddPetitionAsync("LC-2026-000125", "110101199003071234", "13812345678");
        var before = (await s.AuditEntriesAsync()).Count;

        await using (var db = await s.Contexts.CreateDbContextAsync(Ct))
        {
            var unit = await db.Units.FirstAsync(Ct);
            var thread = await db.Threads.FirstAsync(Ct);
            // Same case number twice: the unique index refuses the insert.
            db.Petitions.Add(TestData.PetitionRow("LC-2026-000125", new DateOnly(2026, 11, 2), unitId: unit.Id, threadId: thread.Id,
                locality: "临川区", category: "其他", demand: "重复编号", petitionerNames: "李某"));
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }

        Assert.Equal(before, (await s.AuditEntriesAsync()).Count);
    }

    [Fact]
    public async Task PasswordChange_IsRecordedWithoutTheHash_AndRoleChangesNameTheRole()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var user = await s.CreateUserAsync("zhangsan", "Secret1234abc", Roles.Leader);
        await using (var scope = s.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var u = (await users.FindByIdAsync(user.Id))!;
            var r = await users.ChangePasswordAsync(u, "Secret1234abc", "Another5678xyz");
            Assert.True(r.Succeeded);
            await users.AddToRoleAsync(u, Roles.Supervisor);
        }

        var rows = await s.AuditEntriesAsync();
        var password = Assert.Single(rows, a => a.Field == nameof(AppUser.PasswordHash));
        Assert.Equal("密码已更改", password.Detail);
        Assert.Null(password.OldValue);
        Assert.Null(password.NewValue);
        Assert.DoesNotContain(rows, a => a.Field == nameof(AppUser.SecurityStamp) || a.Field == nameof(AppUser.ConcurrencyStamp));
        Assert.Contains(rows, a => a.Entity == "UserRole" && a.Action == AuditActions.Create && a.EntityKey == "zhangsan" && a.Detail == "角色 督查");
    }

    [Fact]
    public async Task SuppressedFlow_BulkDemoLoading_WritesNoAuditRows()
    {
        await using var s = await AccountTestServices.CreateAsync();
        using (AuditSuppression.Begin())
            await s.AddPetitionAsync("LC-2026-000126", "110101199003071234", "13812345678");
        Assert.Empty(await s.AuditEntriesAsync());

        // Outside the suppressed flow auditing is on again.
        await using var db = await s.Contexts.CreateDbContextAsync(Ct);
        (await db.Petitions.SingleAsync(Ct)).RemindersSent = 1;
        await db.SaveChangesAsync(Ct);
        Assert.Single(await s.AuditEntriesAsync());
    }
}
