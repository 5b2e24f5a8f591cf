using System.Security.Cryptography;

namespace PetitionDashboard.Features.Account;

/// <summary>
/// Response headers for every answer. The CSP fits Blazor Server + MudBlazor: scripts only from the app itself (plus the
/// import map, allowed by a per-request nonce), inline styles (MudBlazor sets style attributes), and the circuit's WebSocket.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "pd:csp-nonce";

    public static string ContentSecurityPolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>The nonce App.razor puts on its inline import map.</summary>
    public static string? Nonce(HttpContext? context) => context?.Items[NonceKey] as string;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
        await next(context);
    });
}
