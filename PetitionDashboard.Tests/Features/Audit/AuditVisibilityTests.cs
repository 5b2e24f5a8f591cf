using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Admin;
using PetitionDashboard.Features.Audit;
using PetitionDashboard.Tests.Features.Account;

namespace PetitionDashboard.Tests.Features.Audit;

/// <summary>
/// 三员分立 in the audit trail (docs/rules.md §10): the system's rows (jobs, the command line, <c>create-admin</c>) and the
/// administrators' rows are the audit administrator's alone — and an administrator's rows stay hidden from the business
/// readers after his administrator role is removed, because the class of the actor is stored on the row when it is written.
/// </summary>
public class AuditVisibilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SystemRows_AndAFormerAdministratorsRows_AreTheAuditAdministratorsAlone()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var former = await s.CreateUserAsync("former-admin", "Secret1234abc", Roles.SystemAdmin);
        await s.CreateUserAsync("test-securityadmin", "Secret1234abc", Roles.SecurityAdmin);
        await s.CreateUserAsync("test-supervisor", "Secret1234abc", Roles.Supervisor);
        var asFormer = FixedCurrentUser.For("former-admin", [Roles.SystemAdmin]);
        var security = AccountTestServices.As(Roles.SecurityAdmin);

        // While a 系统管理员: he creates an account.
        using (s.ActingAs(asFormer))
            await s.UserAdmin(asFormer).CreateAsync(new UserInput { UserName = "zhaoliu", DisplayName = "赵六" }, Ct);
        // The system (a job, the command line, create-admin): no actor set in this flow.
        await s.AuditLog().RecordAsync(AuditActions.Create, entity: nameof(AppUser), entityKey: "auditadmin", detail: "create-admin", ct: Ct);
        // The security administrator takes his administrator role away: from now on he is a Supervisor.
        using (s.ActingAs(security))
            await s.UserAdmin(security).SetRolesAsync(former.Id, new RoleGrant { Roles = [Roles.Supervisor] }, Ct);
        await s.AuditLog().RecordAsync(AuditActions.SignIn, actorName: "former-admin", ct: Ct);
        await s.AuditLog().RecordAsync(AuditActions.SignIn, actorName: "test-supervisor", ct: Ct);

        var auditor = (await s.AuditQuery(AccountTestServices.As(Roles.AuditAdmin)).SearchAsync(new AuditFilter(), 0, 200, Ct)).Rows;
        var supervisor = (await s.AuditQuery(AccountTestServices.As(Roles.Supervisor)).SearchAsync(new AuditFilter(), 0, 200, Ct)).Rows;

        // The audit administrator sees all of it.
        Assert.Contains(auditor, r => r.Actor == "former-admin" && r.EntityKey == "zhaoliu");
        Assert.Contains(auditor, r => r.Actor == AuditActorAccessor.SystemActor && r.Detail == "create-admin");
        Assert.Contains(auditor, r => r.Actor == "former-admin" && r.Action == AuditActions.SignIn);
        // A Supervisor: neither the system's rows nor what the former administrator did as one — only what he did since.
        Assert.DoesNotContain(supervisor, r => r.Actor == AuditActorAccessor.SystemActor);
        Assert.DoesNotContain(supervisor, r => r.EntityKey == "zhaoliu");
        Assert.DoesNotContain(supervisor, r => r.Actor == "test-securityadmin");
        Assert.Contains(supervisor, r => r.Actor == "former-admin" && r.Action == AuditActions.SignIn);
        Assert.Contains(supervisor, r => r.Actor == "test-supervisor");

        // Every row carries its actor's class as it was when written.
        var classes = (await s.AuditEntriesAsync()).Select(a => (a.Actor, a.Action, a.ActorClass)).Distinct().ToList();
        Assert.Contains(("former-admin", AuditActions.Create, AuditActorClasses.Administrator), classes);
        Assert.Contains(("former-admin", AuditActions.SignIn, AuditActorClasses.Business), classes);
        Assert.Contains((AuditActorAccessor.SystemActor, AuditActions.Create, AuditActorClasses.System), classes);
        Assert.DoesNotContain(classes, c => c.ActorClass is null);
    }
}
