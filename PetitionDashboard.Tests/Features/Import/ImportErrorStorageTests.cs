using System.IO.Compression;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PetitionDashboard.Data.Audit;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Features.Import;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Tests.Support;
using C = PetitionDashboard.Features.Import.LedgerColumns;

namespace PetitionDashboard.Tests.Features.Import;

/// <summary>
/// The error list of a refused import waits two hours in the database for its download, and it quotes the ledger's cells:
/// personal data at rest (docs/rules.md §10). A scan of the stored table — the raw bytes and, should they open as a
/// workbook, every part of it — finds none of the test's numbers; the owner still downloads them in clear; the export is audited.
/// </summary>
public class ImportErrorStorageTests
{
    private const string Id1 = "361102198001011236", Id2 = "361102199003154569", Phone1 = "13900001111", Phone2 = "13900002222", Phone3 = "13900003333";
    private static readonly string[] Numbers = [Id1, Id2, Phone1, Phone2, Phone3];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheErrorListOfARefusedImport_IsStoredEncrypted_AndDownloadsInClearForItsOwnerOnly()
    {
        await using var w = await ImportWorld.CreateAsync();
        // One person with two ID numbers and three phones: refused, and the error list quotes the cells.
        var result = await w.ImportAsync(new LedgerFile()
            .Row("XF-1", (C.ReceivedOn, "2026-11-02"), (C.Petitioners, "王五"), (C.IdNumbers, $"{Id1}、{Id2}"), (C.Phones, $"{Phone1}、{Phone2}、{Phone3}")));
        Assert.False(result.Succeeded);
        var downloads = new PreparedDownloads(w.Db, w.Clock, w.Temps, TestPersonalData.Protector, NullLogger<PreparedDownloads>.Instance);
        var officer = FixedCurrentUser.For("值班员甲", [Roles.DutyOfficer]);
        var lists = new ImportErrorDownloads(downloads, new AuditLog(w.Db, new AuditActorAccessor(), w.Clock), officer, w.Clock);

        var file = await lists.PrepareAsync(result, "台账.xlsx", Ct);

        // 1. The table as a copy of the database holds it.
        await using (var db = await w.Db.CreateDbContextAsync(Ct))
        {
            var stored = (await db.PreparedFileChunks.AsNoTracking().Where(c => c.FileId == file.Id).OrderBy(c => c.Index).Select(c => c.Bytes).ToListAsync(Ct))
                .SelectMany(b => b).ToArray();
            Assert.NotEmpty(stored);
            var text = Readable(stored);
            foreach (var n in Numbers) Assert.False(text.Contains(n, StringComparison.Ordinal), $"错误清单在数据库中含明文号码 {n}");
            Assert.NotNull(await db.PreparedFiles.Where(f => f.Id == file.Id).Select(f => f.KeyId).SingleAsync(Ct));
            Assert.Contains(await db.AuditEntries.Select(a => new { a.Action, a.Detail }).ToListAsync(Ct),
                a => a.Action == AuditActions.Export && a.Detail == "台账导入错误清单 导入错误-台账.xlsx");
        }

        // 2. Its owner downloads the list in clear (the numbers are what he must correct); nobody else finds it.
        var found = await downloads.FindAsync(file.Id, "值班员甲", ImportEndpoints.ErrorsKind, Ct);
        Assert.NotNull(found);
        using var copy = new MemoryStream();
        await downloads.CopyToAsync(found, copy, Ct);
        var clear = Readable(copy.ToArray());
        Assert.Contains(Id1, clear); // not vacuous: the list does quote the numbers
        Assert.Contains(Phone3, clear);
        Assert.Null(await downloads.FindAsync(file.Id, "值班员乙", ImportEndpoints.ErrorsKind, Ct));
    }

    /// <summary>The bytes as text, and, when they are a zip package (an .xlsx), the text of every part in it.</summary>
    private static string Readable(byte[] bytes)
    {
        var text = new StringBuilder(Encoding.UTF8.GetString(bytes));
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                text.Append(reader.ReadToEnd());
            }
        }
        catch (InvalidDataException)
        {
            // Not a package: the raw bytes are all there is to read.
        }
        return text.ToString();
    }
}
