using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace PetitionDashboard.Components.Layout;

/// <summary>
/// The layout's boundary for what no page handles: the page shows a zh-CN message and a 重试 button (Recover) instead of
/// a dead circuit. Logged by type and stack only: exception messages may quote what the user typed (names, ID numbers).
/// </summary>
public sealed class PageErrorBoundary : ErrorBoundary
{
    public const string UnexpectedMessage = "操作未完成：系统出现意外错误，已记录。";

    [Inject] private ILogger<PageErrorBoundary> Log { get; set; } = default!;

    /// <summary>What the user reads: a refusal's own text (lock timeout, concurrent change), else the general message.</summary>
    public static string MessageFor(Exception exception) => Refusals.From(exception)?.Message ?? UnexpectedMessage;

    protected override Task OnErrorAsync(Exception exception)
    {
        Log.LogError("页面操作未完成：{ExceptionType}{NewLine}{StackTrace}", exception.GetType().FullName, Environment.NewLine,
            exception.StackTrace);
        return Task.CompletedTask;
    }
}
