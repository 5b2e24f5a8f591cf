using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Components;

/// <summary>
/// How a page shows "refused, here is why": it runs the user's action through <see cref="RunAsync(Func{Task})"/> and
/// shows the refusal it gets back (<see cref="RefusalAlert"/> or a snackbar). Anything that is not a refusal goes on
/// to the layout's <see cref="Layout.PageErrorBoundary"/>.
/// </summary>
public static class Refusals
{
    public const string ChangedMeanwhile = "数据已被他人修改，请刷新后重试。";
    public const string DatabaseBusy = "数据库正忙（他人正在保存），本次操作未保存，请稍后重试。";
    public const string NotSaved = "数据未能保存：可能与他人的修改冲突，请刷新后重试。";

    // SQLITE_BUSY and SQLITE_LOCKED: another writer held the file longer than the busy timeout.
    private static bool IsLockTimeout(Exception? e) => e is SqliteException { SqliteErrorCode: 5 or 6 };

    /// <summary>
    /// The refusal an exception stands for: a refusal as is; a concurrency conflict, a lock timeout or a failed save as a
    /// readable refusal (nothing was written: one transaction per action); null for anything else.
    /// </summary>
    public static ActionRefusedException? From(Exception e) => e switch
    {
        ActionRefusedException refusal => refusal,
        DbUpdateConcurrencyException => ActionRefusedException.ChangedMeanwhile(ChangedMeanwhile),
        _ when IsLockTimeout(e) || IsLockTimeout(e.InnerException) => new ActionRefusedException(DatabaseBusy),
        DbUpdateException => ActionRefusedException.ChangedMeanwhile(NotSaved),
        _ => null,
    };

    /// <summary>Runs a user action; the refusal that stopped it, or null when it was done.</summary>
    public static async Task<ActionRefusedException?> RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e) when (From(e) is { } refusal)
        {
            return refusal;
        }
    }

    /// <summary>Runs a user action and shows its refusal, if any, as an error snackbar; true when it was done.</summary>
    public static async Task<bool> RunAsync(this ISnackbar snackbar, Func<Task> action)
    {
        var refusal = await RunAsync(action);
        if (refusal is not null) snackbar.Show(refusal);
        return refusal is null;
    }

    public static void Show(this ISnackbar snackbar, ActionRefusedException refusal) => snackbar.Add(Text(refusal), Severity.Error);

    /// <summary>One line per problem (field validation), or the message alone.</summary>
    public static IReadOnlyList<string> Lines(ActionRefusedException? refusal) =>
        refusal is null ? [] : refusal.Problems.Count > 0 ? refusal.Problems : [refusal.Message];

    /// <summary>The message, followed by the problems when they say more than the message does.</summary>
    public static string Text(ActionRefusedException refusal) =>
        ListsProblems(refusal) ? $"{refusal.Message}{Environment.NewLine}{string.Join(Environment.NewLine, refusal.Problems)}" : refusal.Message;

    /// <summary>False when the message already is the problems joined (field validation), so nothing shows twice.</summary>
    public static bool ListsProblems(ActionRefusedException refusal) =>
        refusal.Problems.Count > 0 && refusal.Message != string.Join("；", refusal.Problems);
}
