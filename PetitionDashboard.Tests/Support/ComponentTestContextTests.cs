using System.Globalization;
using Bunit;
using MudBlazor;

namespace PetitionDashboard.Tests.Support;

/// <summary>The shared bUnit context pins zh-CN for its test and gives the caller's culture back when it is disposed.</summary>
public sealed class ComponentTestContextTests
{
    private sealed class Probe : ComponentTestContext
    {
        public IRenderedComponent<MudDialogProvider> Dialogs() => RenderDialogProvider();
    }

    [Fact]
    public async Task Culture_IsChineseWhileTheContextLives_AndTheCallersAfterDispose()
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
        try
        {
            var context = new Probe();
            Assert.Equal(("zh-CN", "zh-CN"), (CultureInfo.CurrentCulture.Name, CultureInfo.CurrentUICulture.Name));
            Assert.Contains("mud-", context.Render<MudText>(p => p.AddChildContent("你好")).Markup);
            context.Dialogs();

            await context.DisposeAsync();

            Assert.Equal(("en-US", "en-US"), (CultureInfo.CurrentCulture.Name, CultureInfo.CurrentUICulture.Name));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
