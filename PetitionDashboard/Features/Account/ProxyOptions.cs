using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace PetitionDashboard.Features.Account;

/// <summary>
/// Section "ForwardedHeaders": the reverse proxies (nginx) whose X-Forwarded-For / X-Forwarded-Proto the app believes.
/// Without an entry only a proxy on the same machine (loopback) is believed; with entries only those. A header from anyone
/// else is ignored, so a client cannot pretend to be on HTTPS or at another address.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the proxies, e.g. ["10.0.0.5"].</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of the proxies in CIDR form, e.g. ["10.0.0.0/24"].</summary>
    public string[] KnownNetworks { get; set; } = [];

    public void ApplyTo(ForwardedHeadersOptions o)
    {
        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        if (KnownProxies.Length == 0 && KnownNetworks.Length == 0) return;   // the default: loopback only
        // Configured: only these are believed, not even a process on this machine.
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
        foreach (var network in KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
            yield return new ValidationResult($"ForwardedHeaders:KnownProxies 中的“{proxy}”不是 IP 地址。", [nameof(KnownProxies)]);
        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
            yield return new ValidationResult($"ForwardedHeaders:KnownNetworks 中的“{network}”不是 CIDR 网段（如 10.0.0.0/24）。", [nameof(KnownNetworks)]);
    }
}
