using PetitionDashboard.Features.Account;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Infrastructure.Excel;

namespace PetitionDashboard.Features.Import;

public static class ImportEndpoints
{
    public const string ErrorsKind = "import-errors";

    public static string ErrorWorkbookUrl(Guid id) => $"/import/errors/{id:N}.xlsx";

    /// <summary>GET /import/errors/{id}.xlsx — the error list the import page prepared for this user (CanImportLedger).</summary>
    public static IEndpointRouteBuilder MapImport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/import/errors/{id}.xlsx", async (string id, PreparedDownloads downloads, ICurrentUser user, CancellationToken ct) =>
            {
                var file = Guid.TryParse(id, out var guid) ? await downloads.FindAsync(guid, user.UserName, ErrorsKind, ct) : null;
                if (file is null) return Results.Problem("该错误清单已过期或不属于当前用户，请重新导入以生成。", statusCode: StatusCodes.Status404NotFound);
                // A GET writes nothing: the export was recorded when the import page prepared the list for this user alone.
                return Results.Stream(body => downloads.CopyToAsync(file, body, ct), StreamedWorkbook.ContentType, file.DownloadName);
            })
            .RequireAuthorization(Policies.CanImportLedger);
        return app;
    }
}
