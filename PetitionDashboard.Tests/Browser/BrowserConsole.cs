using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;
using Xunit.v3;

[assembly: PetitionDashboard.Tests.Browser.CleanBrowserConsole]

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// Browser console errors and uncaught page errors, kept per test: a page opened by a test reports to that test, and
/// <see cref="CleanBrowserConsoleAttribute"/> fails the test when any error is left that the allow-list does not explain.
/// </summary>
public static partial class BrowserConsole
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> ByTest = new();

    /// <summary>
    /// Messages a page may log without anything being wrong for a user; each says why. Nothing else is tolerated.
    /// </summary>
    private static readonly (Regex Pattern, string Why)[] Harmless =
    [
        // A page that answers with an error status on purpose (the Chinese 404 page, a refused download) makes Chromium log
        // the status itself; the test asserts the status and what the page shows.
        (ResourceStatus(), "Chromium logs every 4xx answer; the test asserts the status the user meets"),
    ];

    [GeneratedRegex(@"Failed to load resource: the server responded with a status of 4\d\d")]
    private static partial Regex ResourceStatus();

    /// <summary>The key the current test's pages report to (captured on the test's own flow, not Playwright's thread).</summary>
    public static string CurrentTest => TestContext.Current.Test?.UniqueID ?? "(no test)";

    public static void Record(string test, string message) => ByTest.GetOrAdd(test, _ => new()).Enqueue(message);

    /// <summary>The errors of one test that the allow-list does not explain; forgets the test.</summary>
    public static IReadOnlyList<string> TakeUnexplained(string test) =>
        ByTest.TryRemove(test, out var errors)
            ? errors.Where(e => !Harmless.Any(h => h.Pattern.IsMatch(e))).ToList()
            : [];
}

/// <summary>Fails a test whose browser pages logged an error (see <see cref="BrowserConsole"/>).</summary>
public sealed class CleanBrowserConsoleAttribute : BeforeAfterTestAttribute
{
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        var errors = BrowserConsole.TakeUnexplained(test.UniqueID);
        if (errors.Count > 0)
            throw new Xunit.Sdk.XunitException("浏览器控制台有错误：\n" + string.Join("\n", errors));
    }
}
