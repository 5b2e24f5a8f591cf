using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using MudBlazor;
using MudBlazor.Services;

namespace PetitionDashboard.Components.Localization;

/// <summary>The UI part: components, MudBlazor, and zh-CN everywhere (thread and request culture, MudBlazor's built-in texts).</summary>
public static class LocalizationServices
{
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>The date pickers' title: MudBlazor's default "ddd, dd MMM" reads "周一, 30 11月" in zh-CN.</summary>
    public const string DatePickerTitle = "yyyy年M月d日 dddd";

    /// <summary>
    /// The user interface: Blazor Server components, MudBlazor, and zh-CN everywhere (MudBlazor's own texts through
    /// <see cref="ChineseMudLocalizer"/>, registered after AddMudServices so it wins).
    /// </summary>
    public static IHostApplicationBuilder AddUserInterface(this IHostApplicationBuilder builder)
    {
        // SignalR's default 32 KB per message drops the circuit when ~6,000 Chinese characters are pasted (JSON escapes each
        // as \uXXXX, 6 bytes): 512 KB holds any text box's content (the longest, a calendar file, is capped at 256 KB)
        // while the boxes themselves say when a text is too long.
        builder.Services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 512 * 1024);
        // MudBlazor's popover service wakes every QueueDelay (default 0.5 s) in every circuit that has shown a popover (the
        // home page's page-size box does), for the circuit's life, only to release the JS side of popovers closed since:
        // 50 idle leaders were 100 wake-ups a second. Every 5 s the same release happens later; nothing on screen waits for it.
        builder.Services.AddMudServices(o => o.PopoverOptions.QueueDelay = TimeSpan.FromSeconds(5));
        // The prerendered HTML carries Chinese as UTF-8, not as "&#x5355;" entities (8 bytes a character instead of 3): the
        // default encoder allows Basic Latin only, and /statistics' unit ranking was a quarter entities. <, >, &, ' and "
        // are encoded whatever the allowed ranges.
        builder.Services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        CultureInfo.DefaultThreadCurrentCulture = Chinese;
        CultureInfo.DefaultThreadCurrentUICulture = Chinese;
        builder.Services.AddTransient<MudLocalizer, ChineseMudLocalizer>();
        return builder;
    }

    /// <summary>Every request runs in zh-CN whatever the browser asks for: the app has one language.</summary>
    public static IApplicationBuilder UseChineseCulture(this IApplicationBuilder app) =>
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(Chinese.Name);
            o.AddSupportedCultures(Chinese.Name);
            o.AddSupportedUICultures(Chinese.Name);
            o.RequestCultureProviders.Clear();
        });
}
