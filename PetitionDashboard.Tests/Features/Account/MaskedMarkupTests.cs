using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Audit.Pages;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Account;

/// <summary>Full 身份证号 and phone numbers never reach the markup for roles that may not see them.</summary>
public class MaskedMarkupTests : ComponentTestContext
{
    private const string Id = "110101199003071234";
    private const string Phone = "13812345678";

    [Theory]
    [InlineData(Roles.Leader)]
    [InlineData(Roles.Supervisor)]
    public async Task PetitionerContact_ForARoleWithoutAccess_ShowsMaskedNumbersAndNoShowButton(string role)
    {
        await using var s = await AccountTestServices.CreateAsync();
        var (_, petitionerId) = await s.AddPetitionAsync("LC-2026-000200", Id, Phone);
        Services.AddSingleton(s.PersonalData(AccountTestServices.As(role)));
        RenderPopoverProvider();

        // Even if a page passed the full numbers by mistake, the component masks them.
        var cut = Render<PetitionerContact>(p => p.Add(x => x.PetitionerId, petitionerId).Add(x => x.IdNumber, Id).Add(x => x.Phone, Phone));

        Assert.DoesNotContain(Id, cut.Markup);
        Assert.DoesNotContain(Phone, cut.Markup);
        Assert.Contains("110101********1234", cut.Markup);
        Assert.Contains("138****5678", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=reveal]"));
    }

    [Fact]
    public async Task PetitionerContact_ForADutyOfficer_RevealsOnRequest_AndTheRevealIsAudited()
    {
        await using var s = await AccountTestServices.CreateAsync();
        var (_, petitionerId) = await s.AddPetitionAsync("LC-2026-000201", Id, Phone);
        var officer = AccountTestServices.As(Roles.DutyOfficer);
        Services.AddSingleton(s.PersonalData(officer));
        RenderPopoverProvider();
        var cut = Render<PetitionerContact>(p => p.Add(x => x.PetitionerId, petitionerId).Add(x => x.CaseNumber, "LC-2026-000201")
            .Add(x => x.IdNumber, PersonalData.MaskIdNumber(Id)).Add(x => x.Phone, PersonalData.MaskPhone(Phone)));
        Assert.DoesNotContain(Id, cut.Markup);

        using (s.ActingAs(officer)) cut.Find("[data-testid=reveal]").Click();

        cut.WaitForAssertion(() => Assert.Contains(Id, cut.Markup));
        Assert.Contains(Phone, cut.Markup);
        var reveal = Assert.Single(await s.AuditEntriesAsync(), a => a.Action == AuditActions.Reveal);
        Assert.Equal(("test-dutyofficer", "LC-2026-000201", petitionerId.ToString()), (reveal.Actor, reveal.CaseNumber, reveal.EntityKey));
    }

    [Theory]
    [InlineData(Roles.Supervisor)]
    [InlineData(Roles.AuditAdmin)]
    public async Task AuditPage_ShowsAChangedIdNumberMasked(string role)
    {
        await using var s = await AccountTestServices.CreateAsync();
        var (_, petitionerId) = await s.AddPetitionAsync("LC-2026-000202", Id, Phone);
        // A duty officer changes the numbers (the system's own rows are the audit administrator's alone, 三员分立).
        using (s.ActingAs(AccountTestServices.As(Roles.DutyOfficer)))
        await using (var db = await s.Contexts.CreateDbContextAsync(Xunit.TestContext.Current.CancellationToken))
        {
            var p = await db.Petitioners.SingleAsync(x => x.Id == petitionerId, Xunit.TestContext.Current.CancellationToken);
            var protector = s.Services.GetRequiredService<PetitionDashboard.Data.Protection.PersonalDataProtector>();
            protector.UpdateIdNumber(p, "110101198805054321");
            protector.UpdatePhone(p, "13900001111");
            await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }
        // The trail itself stores the old and new values masked (§10): a full number is only ever seen through the audited reveal ...
        var trail = await s.AuditEntriesAsync();
        Assert.Contains(trail, a => a.Field == nameof(Petitioner.IdNumber) && a.OldValue == "110101********1234" && a.NewValue == "110101********4321");
        Assert.Contains(trail, a => a.Field == nameof(Petitioner.Phone) && a.OldValue == "138****5678" && a.NewValue == "139****1111");
        Assert.DoesNotContain(trail, a => a.OldValue == Id || a.NewValue == "110101198805054321" || a.OldValue == Phone || a.NewValue == "13900001111");

        Services.AddSingleton(s.AuditQuery(AccountTestServices.As(role)));
        RenderPopoverProvider();
        var cut = Render<AuditTrailPage>();

        // ... and the page shows them masked, for every role that may read it.
        cut.WaitForAssertion(() => Assert.Contains("110101********4321", cut.Markup));
        Assert.Contains("110101********1234", cut.Markup);
        Assert.DoesNotContain(Id, cut.Markup);
        Assert.DoesNotContain("110101198805054321", cut.Markup);
        Assert.DoesNotContain("13900001111", cut.Markup);
        Assert.Contains("139****1111", cut.Markup);
    }
}
