using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using PetitionDashboard.Domain;
using PetitionDashboard.Features.Account;
using PetitionDashboard.Infrastructure.Downloads;
using PetitionDashboard.Infrastructure.Excel;
using PetitionDashboard.Infrastructure.Files;

namespace PetitionDashboard.Features.Reports;

public static class ReportEndpoints
{
    public const string ReportKind = "supervision-report";

    public static string SupervisionReportUrl(IsoWeek week, Guid? prepared = null) =>
        $"/reports/supervision/{week}.xlsx" + (prepared is { } id ? $"?file={id:N}" : "");

    /// <summary>
    /// The 督办通报 download, in two steps so that no GET writes anything (等保 access control and audit: a link, a prefetch or
    /// an image tag on another site must not generate reports or audit rows). Supervisor only (CanExport) for both.
    /// <list type="bullet">
    /// <item>POST /reports/supervision/{week}.xlsx with the antiforgery token: generates the report (recorded as an export),
    /// keeps it as a prepared download of this user and answers 303 to the GET below. The reports page prepares the same
    /// file over its circuit.</item>
    /// <item>GET /reports/supervision/{week}.xlsx?file=…: hands over a prepared report of this user, from the database, so the
    /// node that prepared it need not be the one that serves it. Without <c>file</c> it generates nothing: 404 with how to
    /// get one.</item>
    /// </list>
    /// </summary>
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reports/supervision/{week}.xlsx", async (
                string week, [FromQuery] string? file, PreparedDownloads downloads, ICurrentUser user, CancellationToken ct) =>
            {
                if (!IsoWeek.TryParse(week, out var w))
                    return Results.Problem($"统计周“{week}”格式不正确，应为 2026-W47 这样的 ISO 周。", statusCode: StatusCodes.Status400BadRequest);
                if (file is null)
                    return Results.Problem($"{w} 的督办通报尚未生成：请在“督办通报”页面点击“生成”，生成后再下载。", statusCode: StatusCodes.Status404NotFound);
                var prepared = Guid.TryParse(file, out var id) ? await downloads.FindAsync(id, user.UserName, ReportKind, ct) : null;
                if (prepared is null || prepared.Key != w.ToString())
                    return Results.Problem("该下载已过期或不属于当前用户，请在“督办通报”页面重新生成。", statusCode: StatusCodes.Status404NotFound);
                return Results.Stream(body => downloads.CopyToAsync(prepared, body, ct), StreamedWorkbook.ContentType, prepared.DownloadName);
            })
            .RequireAuthorization(Policies.CanExport);

        app.MapPost("/reports/supervision/{week}.xlsx", async (
                string week, HttpContext http, IAntiforgery antiforgery, SupervisionReportExporter exporter, PreparedDownloads downloads,
                ICurrentUser user, CancellationToken ct) =>
            {
                // No form fields are bound, so the framework would not check the token on its own: checked here, before anything.
                if (!await antiforgery.IsRequestValidAsync(http))
                    return Results.Problem("请求缺少有效的防伪令牌，未生成督办通报：请从“督办通报”页面操作。", statusCode: StatusCodes.Status400BadRequest);
                if (!IsoWeek.TryParse(week, out var w))
                    return Results.Problem($"统计周“{week}”格式不正确，应为 2026-W47 这样的 ISO 周。", statusCode: StatusCodes.Status400BadRequest);
                var prepared = downloads.Reserve(user.UserName ?? "", ReportKind, w.ToString(), SupervisionReportExporter.FileName(w));
                try
                {
                    await using (var stream = PrivateTempFiles.Create(prepared.Path))
                        await exporter.ExportAsync(w, stream, null, ct);
                    await downloads.PublishAsync(prepared, ct);
                }
                catch (ActionRefusedException e)
                {
                    downloads.Discard(prepared);
                    // The week not computed is a missing file (404); a role the policy table refuses is 403.
                    return Results.Problem(e.Message, statusCode: e.Kind == RefusalKind.NotAllowed
                        ? StatusCodes.Status403Forbidden : StatusCodes.Status404NotFound);
                }
                catch
                {
                    downloads.Discard(prepared);
                    throw;
                }
                http.Response.Headers.Location = SupervisionReportUrl(w, prepared.Id);
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            })
            .RequireAuthorization(Policies.CanExport);

        app.MapNotices();
        return app;
    }

    public const string NoticesPath = "/reports/notices";

    public static string HistoryUrl(int documentId) => $"/reports/history/{documentId}";

    public static string NoticeUrl(int noticeId) => $"/reports/notices/{noticeId}.xlsx";

    /// <summary>
    /// POST /reports/notices (form fields <c>week</c> and any number of <c>unit</c> ids, antiforgery-checked because it binds a form) — a Supervisor generates
    /// the week's 督办单, which changes data (催办), so never on a GET; then back to the reports page, which offers the .zip.
    /// GET /reports/history/{id}: a kept 通报 (.xlsx) or a 督办单 generation (.zip); GET /reports/notices/{id}.xlsx: one
    /// unit's 督办单. Files are written to a private temp file first and streamed from it, like the report.
    /// </summary>
    private static void MapNotices(this IEndpointRouteBuilder app)
    {
        app.MapPost(NoticesPath, async ([FromForm] string? week, HttpRequest request, SupervisionNoticeService notices, CancellationToken ct) =>
            {
                if (!IsoWeek.TryParse(week ?? "", out var w))
                    return Results.Problem($"统计周“{week}”格式不正确，应为 2026-W47 这样的 ISO 周。", statusCode: StatusCodes.Status400BadRequest);
                // Ticked units (field "unit", repeated): a 督办单 for those only; none ticked: every unit with something to list.
                var units = new List<int>();
                foreach (var text in request.Form["unit"])
                {
                    if (!int.TryParse(text, out var id))
                        return Results.Problem($"单位“{text}”不正确，请刷新页面后重选。", statusCode: StatusCodes.Status400BadRequest);
                    units.Add(id);
                }
                try
                {
                    var done = await notices.GenerateAsync(w, units, ct);
                    return Results.Redirect($"/reports?week={w}&notices={done.DocumentId}", preserveMethod: false);
                }
                catch (ActionRefusedException e) when (e.Kind != RefusalKind.NotAllowed)
                {
                    return Results.Redirect($"/reports?week={w}&notices={(units.Count == 0 ? "none" : "none-chosen")}");
                }
            })
            .RequireAuthorization(Policies.CanIssueNotices);

        app.MapGet("/reports/history/{id:int}", async (int id, ReportHistoryService history, SupervisionNoticeService notices,
                PreparedDownloads downloads, PrivateTempFiles temps, CancellationToken ct) =>
            {
                var kind = await history.KindAsync(id, ct);
                if (kind == GeneratedDocumentKind.SupervisionReport)
                {
                    var file = await history.ReportFileAsync(id, ct);
                    if (file is null) return Results.Problem("该督办通报文件已不存在。", statusCode: StatusCodes.Status404NotFound);
                    return Results.Stream(body => downloads.CopyToAsync(file, body, ct), StreamedWorkbook.ContentType, file.DownloadName);
                }
                if (kind != GeneratedDocumentKind.SupervisionNotices)
                    return Results.Problem("没有这条生成记录。", statusCode: StatusCodes.Status404NotFound);
                var stream = PrivateTempFiles.Create(temps.NewPath("notices", ".zip"), FileAccess.ReadWrite,
                    FileOptions.Asynchronous | FileOptions.DeleteOnClose);
                try
                {
                    var name = await notices.WriteZipAsync(id, stream, ct);
                    stream.Position = 0;
                    return Results.File(stream, "application/zip", name);
                }
                catch (ActionRefusedException e)
                {
                    await stream.DisposeAsync();
                    return Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound);
                }
                catch
                {
                    await stream.DisposeAsync();
                    throw;
                }
            })
            .RequireAuthorization(Policies.CanExport);

        app.MapGet("/reports/notices/{id:int}.xlsx", async (int id, SupervisionNoticeService notices, PreparedDownloads downloads, CancellationToken ct) =>
            {
                try
                {
                    var file = await notices.NoticeFileAsync(id, ct);
                    return Results.Stream(body => downloads.CopyToAsync(file, body, ct), StreamedWorkbook.ContentType, file.DownloadName);
                }
                catch (ActionRefusedException e)
                {
                    return Results.Problem(e.Message, statusCode: StatusCodes.Status404NotFound);
                }
            })
            .RequireAuthorization(Policies.CanExport);
    }
}
