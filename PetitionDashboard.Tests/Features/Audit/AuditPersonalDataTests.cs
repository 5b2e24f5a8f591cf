using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Data.Protection;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Tests.Features.Account;
using PetitionDashboard.Tests.Features.Import;
using PetitionDashboard.Tests.Features.Repeats;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Audit;

/// <summary>
/// The audit trail holds masked personal numbers only (docs/rules.md §10): after registering, importing and revealing,
/// no stored audit value contains a test 身份证号 or phone number in clear.
/// </summary>
public class AuditPersonalDataTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registration_NewPersonAndAChangedPhone_LeaveOnlyMaskedNumbersInTheTrail()
    {
        await using var w = await RepeatWorld.CreateAsync(audited: true);
        var first = await w.RegisterNewAsync(w.Draft(id: RepeatWorld.IdZhang, phone: "13812345678", receivedOn: RepeatWorld.Today.AddDays(-30)));
        // The same person comes back with a new phone: registration updates the stored phone (an audited change).
        await w.RegisterRepeatAsync(w.Draft(id: RepeatWorld.IdZhang, phone: "13900001111"), first);
        // A person without an ID number is known by name + phone: the identity key carries the phone.
        await w.RegisterNewAsync(w.Draft(name: "李四", id: null, phone: "13700002222", demand: "村里修路占用我家耕地，未给补偿"));

        var rows = await AuditRowsAsync(w.Db);
        AssertNoneInClear(rows, RepeatWorld.IdZhang, "13812345678", "13900001111", "13700002222");
        // Not vacuous: the phone change is recorded — masked.
        Assert.Contains(rows, a => a.Entity == nameof(Petitioner) && a.Field == nameof(Petitioner.Phone)
                                   && a.OldValue == "138****5678" && a.NewValue == "139****1111");
    }

    [Fact]
    public async Task Import_PeopleWithIdNumbersAndPhones_LeaveNoNumberInClearInTheTrail()
    {
        await using var w = await ImportWorld.CreateAsync(audited: true);
        var ledger = new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-11-02"), (C.Petitioners, "李四、王五"), (C.IdNumbers, "361102198001011236、361102199003154569"),
                (C.Phones, "13900001111、13900002222"), (C.PeopleCount, 2))
            .Row("XF-2", (C.ReceivedOn, "2026-11-03"), (C.Petitioners, "赵六"), (C.Phones, "13600003333"));

        var result = await w.ImportAsync(ledger);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors.Select(e => e.Message)));
        var rows = await AuditRowsAsync(w.Db);
        // A ledger import is recorded as one summary row (bulk rows are not audited one by one); it names no person's number.
        Assert.Contains(rows, a => a.Action == "Import");
        AssertNoneInClear(rows, "361102198001011236", "361102199003154569", "13900001111", "13900002222", "13600003333");
    }

    [Fact]
    public async Task RevealAndAChangedIdNumber_LeaveOnlyMaskedNumbersAndIdentityKeysInTheTrail()
    {
        const string id = "110101199003071234", newId = "110101198805054321";
        await using var s = await AccountTestServices.CreateAsync();
        var (_, petitionerId) = await s.AddPetitionAsync("LC-2026-000300", id, "13812345678");
        await using (var db = await s.Contexts.CreateDbContextAsync(Ct))
        {
            var p = await db.Petitioners.SingleAsync(x => x.Id == petitionerId, Ct);
            // Changed as the app changes people: through the one protector (encrypted numbers, hashed identity key).
            var protector = s.Services.GetRequiredService<PersonalDataProtector>();
            protector.UpdateIdNumber(p, newId);
            protector.SetIdentity(p, "ID:" + newId);
            protector.UpdatePhone(p, "13900001111");
            await db.SaveChangesAsync(Ct);
        }
        var officer = AccountTestServices.As(Roles.DutyOfficer);
        using (s.ActingAs(officer))
            Assert.Equal(newId, (await s.PersonalData(officer).RevealAsync(petitionerId, "LC-2026-000300", Ct)).IdNumber);

        var rows = await s.AuditEntriesAsync();
        AssertNoneInClear(rows, id, newId, "13812345678", "13900001111");
        Assert.Contains(rows, a => a.Action == AuditActions.Reveal);
        Assert.Contains(rows, a => a.Field == nameof(Petitioner.IdNumber) && a.OldValue == "110101********1234" && a.NewValue == "110101********4321");
        Assert.Contains(rows, a => a.Field == nameof(Petitioner.IdentityKey) && a.OldValue == "ID:110101********1234" && a.NewValue == "ID:110101********4321");
    }

    [Theory]
    [InlineData("ID:110101199003071234", "ID:110101********1234")]
    [InlineData("NP:张三|13812345678", "NP:张三|138****5678")]
    [InlineData("NK:0f1e2d", "*********")]
    public void MaskIdentityKey_KeepsTheKindAndMasksTheNumber(string key, string masked) =>
        Assert.Equal(masked, PersonalData.MaskIdentityKey(key));

    private static async Task<List<AuditEntry>> AuditRowsAsync(Microsoft.EntityFrameworkCore.IDbContextFactory<PetitionDashboard.Data.AppDbContext> contexts)
    {
        await using var db = await contexts.CreateDbContextAsync(Ct);
        var rows = await db.AuditEntries.AsNoTracking().ToListAsync(Ct);
        Assert.NotEmpty(rows);
        return rows;
    }

    private static void AssertNoneInClear(IEnumerable<AuditEntry> rows, params string[] numbers)
    {
        foreach (var a in rows)
        foreach (var text in new[] { a.OldValue, a.NewValue, a.Detail, a.EntityKey, a.CaseNumber, a.Field })
        foreach (var n in numbers)
            Assert.False(text?.Contains(n, StringComparison.OrdinalIgnoreCase) == true,
                $"审计记录 {a.Entity}.{a.Field}（{a.Action}）含完整号码 {n}：{text}");
    }
}
