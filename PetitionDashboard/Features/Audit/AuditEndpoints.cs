using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Infrastructure.Excel;
using PetitionDashboard.Infrastructure.Files;

namespace PetitionDashboard.Features.Audit;

/// <summary>
/// The audit trail's export, in two steps so that no GET writes anything (the export is itself an audited act):
/// <list type="bullet">
/// <item>POST /audit/export, a form with the page's filter and the antiforgery token (a form binding: the framework checks
/// the token before the handler runs): writes the filtered trail to a prepared download of this user, records the export
/// and answers 303 to the GET below.</item>
/// <item>GET /audit/export/{id}.xlsx: hands over that file, to the user who prepared it only, for two hours.</item>
/// </list>
/// Both only for <see cref="Policies.CanExportAudit"/>; the rows are what <see cref="AuditQueryService"/> lets this user read.
/// </summary>
public static class AuditEndpoints
{
    public const string ExportPath = "/audit/export";
    public const string ExportKind = "audit-export";

    public static string DownloadUrl(Guid id) => $"{ExportPath}/{id:N}.xlsx";

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapPost(ExportPath, async ([FromForm] string? person, [FromForm] string? caseNumber, [FromForm] string? action,
                [FromForm] string? from, [FromForm] string? to, AuditQueryService audit, PreparedDownloads downloads, ICurrentUser user,
                TimeProvider clock, HttpContext http, CancellationToken ct) =>
            {
                if (!TryDate(from, out var fromDate) || !TryDate(to, out var toDate))
                    return Results.Problem("日期：应为 yyyy-MM-dd 格式。", statusCode: StatusCodes.Status400BadRequest);
                var filter = new AuditFilter(person, caseNumber, action, fromDate, toDate);
                var file = downloads.Reserve(user.UserName ?? "", ExportKind, "", AuditTrailWorkbook.FileName(clock.GetUtcNow().UtcDateTime));
                try
                {
                    await using (var stream = PrivateTempFiles.Create(file.Path))
                        await audit.ExportAsync(filter, stream, ct);
                    await downloads.PublishAsync(file, ct);
                }
                catch (ActionRefusedException e)
                {
                    downloads.Discard(file);
                    return Results.Problem(e.Message, statusCode: e.Kind == RefusalKind.NotAllowed ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest);
                }
                catch
                {
                    downloads.Discard(file);
                    throw;
                }
                http.Response.Headers.Location = DownloadUrl(file.Id);
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            })
            .RequireAuthorization(Policies.CanExportAudit);

        app.MapGet(ExportPath + "/{id}.xlsx", async (string id, PreparedDownloads downloads, ICurrentUser user, CancellationToken ct) =>
            {
                var file = Guid.TryParse(id, out var guid) ? await downloads.FindAsync(guid, user.UserName, ExportKind, ct) : null;
                if (file is null) return Results.Problem("该导出文件已过期或不属于当前用户，请在“审计日志”页面重新导出。", statusCode: StatusCodes.Status404NotFound);
                // A GET writes nothing: the export was recorded when the file was prepared, for this user alone.
                return Results.Stream(body => downloads.CopyToAsync(file, body, ct), StreamedWorkbook.ContentType, file.DownloadName);
            })
            .RequireAuthorization(Policies.CanExportAudit);
        return app;
    }

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        date = d;
        return true;
    }
}
