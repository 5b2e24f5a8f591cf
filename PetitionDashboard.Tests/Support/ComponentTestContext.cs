using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using PetitionDashboard.Components.Localization;
using PetitionDashboard.Infrastructure.ChangeFeed;

namespace PetitionDashboard.Tests.Support;

/// <summary>
/// The one bUnit context for component and page tests: zh-CN culture (restored when the test ends, so a culture-sensitive
/// test elsewhere on the same thread is not affected), MudBlazor's services with the app's Chinese texts, loose JS interop
/// (MudBlazor calls its own JS on render), and the popover/dialog providers a page needs for selects, menus and dialogs.
/// Register the test's own services first (constructor or InitializeAsync), then render.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private IRenderedComponent<MudPopoverProvider>? _popover;

    protected ComponentTestContext()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = LocalizationServices.Chinese;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        // The services pages use read 身份证号 and phones through the protector, with the test run's keys (TestPersonalData).
        Services.AddSingleton(TestPersonalData.Protector);
        Services.AddTransient<MudLocalizer, ChineseMudLocalizer>();
        // Pages are live (they listen to the node's change feed); one that nothing moves, unless a test registers a real one.
        Services.AddSingleton<IChangeFeed, QuietChangeFeed>();
    }

    private sealed class QuietChangeFeed : IChangeFeed
    {
        public long Version => 0;

        public event Action<ChangeNotice>? Changed { add { } remove { } }

        public Task<long> RefreshAsync(CancellationToken ct = default) => Task.FromResult(0L);
    }

    /// <summary>The popover provider (rendered once): MudSelect lists, menus and tooltips open into it.</summary>
    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => _popover ??= Render<MudPopoverProvider>();

    /// <summary>The dialog provider, after the popover provider its dialogs' selects open into.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderDialogProvider()
    {
        RenderPopoverProvider();
        return Render<MudDialogProvider>();
    }

    // The culture is restored before disposal starts and outside any async method: a culture set inside an async method
    // would not reach the caller (it lives in the execution context), so this works for `await using` and `using` alike.
    public new ValueTask DisposeAsync()
    {
        RestoreCulture();
        return base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        RestoreCulture();
        base.Dispose(disposing);
    }

    private void RestoreCulture()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
