namespace PetitionDashboard.Components.Localization;

/// <summary>
/// zh-CN texts MudBlazor has no resource key for; pass them to the component parameter that carries the text.
/// </summary>
public static class ChineseTexts
{
    /// <summary>For a grid's NoRecordsContent.</summary>
    public const string NoMatchingRecords = "没有匹配的记录";

    /// <summary>For a grid's LoadingContent or a busy indicator.</summary>
    public const string Loading = "加载中…";

    /// <summary>Message box buttons (MudBlazor's default yesText is "OK").</summary>
    public const string Ok = "确定";

    public const string Cancel = "取消";

    /// <summary>yyyy-MM-dd, the date format of the ledgers and of the UI.</summary>
    public const string DateFormat = "yyyy-MM-dd";
}
