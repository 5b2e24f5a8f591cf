using PetitionDashboard.Data.Audit;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Infrastructure.Files;

namespace PetitionDashboard.Features.Import;

/// <summary>
/// The downloadable error list of a refused import, kept two hours for the user who imported (<see cref="PreparedDownloads"/>).
/// It quotes the ledger's own cells — 身份证号 and phone numbers included — so it is personal data: stored encrypted with
/// the personal-data key ring (docs/rules.md §10), and handing it out is an audited export.
/// </summary>
public sealed class ImportErrorDownloads(PreparedDownloads downloads, AuditLog audit, ICurrentUser user, TimeProvider clock)
{
    public async Task<PreparedDownload> PrepareAsync(ImportResult result, string ledgerFileName, CancellationToken ct = default)
    {
        var file = downloads.Reserve(user.UserName ?? "", ImportEndpoints.ErrorsKind, ledgerFileName, ImportErrorWorkbook.FileName(ledgerFileName));
        try
        {
            await using (var stream = PrivateTempFiles.Create(file.Path))
                await ImportErrorWorkbook.WriteAsync(result, clock.GetUtcNow().UtcDateTime, stream, ct);
            await downloads.PublishAsync(file, ct, holdsPersonalData: true);
        }
        catch
        {
            downloads.Discard(file);
            throw;
        }
        // Recorded here because the download itself is a GET, which writes nothing.
        await audit.RecordExportAsync($"台账导入错误清单 {file.DownloadName}", ct: ct);
        return file;
    }
}
