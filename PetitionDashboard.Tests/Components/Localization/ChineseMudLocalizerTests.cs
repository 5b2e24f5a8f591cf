using System.Collections;
using System.Globalization;
using System.Resources;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using PetitionDashboard.Components.Localization;
using PetitionDashboard.Components.Pages;
using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Components.Localization;

public sealed class ChineseMudLocalizerTests : ComponentTestContext
{
    [Fact]
    public void DataGridPager_ShowsRowsPerPageAndRangeInChinese()
    {
        RenderPopoverProvider();

        var cut = Render<PagedGrid>();

        cut.WaitForAssertion(() => Assert.Contains("第 1-10 条，共 42 条", cut.Markup));
        Assert.Contains("每页行数：", cut.Markup);
        Assert.Contains("aria-label=\"下一页\"", cut.Markup);
        Assert.Contains("aria-label=\"列选项\"", cut.Markup);
        Assert.DoesNotContain("Rows per page", cut.Markup);
        Assert.DoesNotContain(" of 42", cut.Markup);
    }

    [Fact]
    public void EveryBuiltInMudBlazorText_HasAChineseTranslation()
    {
        // MudBlazor's own list of texts: a new key after an upgrade shows up here instead of as English in the UI.
        var resources = new ResourceManager("MudBlazor.Resources.LanguageResource", typeof(MudDataGrid<>).Assembly);
        var keys = resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<DictionaryEntry>().Select(e => (string)e.Key).ToList();

        Assert.True(keys.Count > 100, $"MudBlazor lists {keys.Count} texts");
        var untranslated = keys.Where(k => !ChineseMudLocalizer.Texts.ContainsKey(k)).ToList();
        Assert.Empty(untranslated);
        var localizer = new ChineseMudLocalizer();
        Assert.False(localizer["MudDataGridPager_RowsPerPage"].ResourceNotFound);
        Assert.True(localizer["No_Such_Key"].ResourceNotFound);
    }

    [Fact]
    public void ErrorPage_IsChineseAndShowsNoTechnicalDetail()
    {
        var cut = Render<Error>();

        Assert.Contains("处理您的请求时出错了", cut.Markup);
        Assert.DoesNotContain("Development", cut.Markup);
        Assert.DoesNotContain("Exception", cut.Markup);
    }
}
