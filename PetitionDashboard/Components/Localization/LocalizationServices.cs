using System.Globalization;
using MudBlazor;

namespace PetitionDashboard.Components.Localization;

/// <summary>zh-CN everywhere: the default thread and request culture, and MudBlazor's built-in texts.</summary>
public static class LocalizationServices
{
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>Call after AddMudServices: MudBlazor then uses <see cref="ChineseMudLocalizer"/> for its own texts.</summary>
    public static IServiceCollection AddChineseLocalization(this IServiceCollection services)
    {
        CultureInfo.DefaultThreadCurrentCulture = Chinese;
        CultureInfo.DefaultThreadCurrentUICulture = Chinese;
        services.AddTransient<MudLocalizer, ChineseMudLocalizer>();
        return services;
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
