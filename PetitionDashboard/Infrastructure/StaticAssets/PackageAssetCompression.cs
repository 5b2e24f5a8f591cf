using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PetitionDashboard.Infrastructure.StaticAssets;

/// <summary>
/// The static-asset endpoints as the SDK wrote them, plus the compressed variants it leaves out. A package's assets
/// (MudBlazor's CSS and JS, ~0.7 MB) come with their own fingerprinted endpoints, and the SDK (10.0.4xx) negotiates br/gzip
/// only on their plain routes: <c>@Assets["_content/MudBlazor/MudBlazor.min.css"]</c> sent every browser that had not cached
/// it 627 KB of CSS where the .br file beside it is 62 KB. Each fingerprinted endpoint without variants gets its plain
/// route's variants here, with its own Cache-Control (immutable) and <c>Vary: Accept-Encoding</c>.
/// </summary>
public static class PackageAssetCompression
{
    /// <summary>
    /// The path of a manifest with the missing variants added (written once per content under the temp folder), or the
    /// SDK's own manifest when nothing is missing; null when there is no manifest (MapStaticAssets then says so itself).
    /// </summary>
    public static string? CompletedManifest(IWebHostEnvironment environment)
    {
        var source = Path.Combine(AppContext.BaseDirectory, $"{environment.ApplicationName}.staticwebassets.endpoints.json");
        if (!File.Exists(source)) return null;
        var manifest = JsonNode.Parse(File.ReadAllText(source))!;
        if (AddMissingVariants(manifest) == 0) return source;
        var text = manifest.ToJsonString();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        var target = Path.Combine(Path.GetTempPath(), $"petition-dashboard-assets-{hash}.endpoints.json");
        if (!File.Exists(target))
        {
            // Written aside and moved: several nodes or test hosts may start at once.
            var partial = $"{target}.{Guid.NewGuid():N}";
            File.WriteAllText(partial, text);
            File.Move(partial, target, overwrite: true);
        }
        return target;
    }

    /// <summary>Adds, for every fingerprinted endpoint that has none, its plain route's compressed variants; returns how many.</summary>
    public static int AddMissingVariants(JsonNode manifest)
    {
        var endpoints = manifest["Endpoints"]!.AsArray();
        var variantsByRoute = endpoints.Where(e => IsNegotiated(e!)).GroupBy(e => Route(e!)).ToDictionary(g => g.Key, g => g.ToList());
        var added = 0;
        foreach (var endpoint in endpoints.ToList())
        {
            var e = endpoint!;
            var label = Property(e, "label");
            if (Property(e, "fingerprint") is null || label is null || Route(e) == label || IsNegotiated(e)) continue;
            if (variantsByRoute.ContainsKey(Route(e)) || !variantsByRoute.TryGetValue(label, out var variants)) continue;
            var cacheControl = Header(e, "Cache-Control");
            AddVary(e);
            foreach (var variant in variants)
            {
                var copy = variant!.DeepClone();
                copy["Route"] = Route(e);
                foreach (var h in copy["ResponseHeaders"]!.AsArray().Where(h => (string?)h!["Name"] == "Cache-Control")) h!["Value"] = cacheControl;
                AddVary(copy);
                // The fingerprinted endpoint's own properties (fingerprint, integrity of the uncompressed file, label).
                var properties = e["EndpointProperties"]!.DeepClone().AsArray();
                foreach (var p in copy["EndpointProperties"]!.AsArray().Where(p => (string?)p!["Name"] == "original-resource")) properties.Add(p!.DeepClone());
                copy["EndpointProperties"] = properties;
                endpoints.Add(copy);
                added++;
            }
        }
        return added;
    }

    private static string Route(JsonNode e) => (string)e["Route"]!;

    private static bool IsNegotiated(JsonNode e) => e["Selectors"]!.AsArray().Any(s => (string?)s!["Name"] == "Content-Encoding");

    private static string? Property(JsonNode e, string name) =>
        e["EndpointProperties"]!.AsArray().Where(p => (string?)p!["Name"] == name).Select(p => (string?)p!["Value"]).FirstOrDefault();

    private static string? Header(JsonNode e, string name) =>
        e["ResponseHeaders"]!.AsArray().Where(h => (string?)h!["Name"] == name).Select(h => (string?)h!["Value"]).FirstOrDefault();

    private static void AddVary(JsonNode e)
    {
        if (Header(e, "Vary") is null) e["ResponseHeaders"]!.AsArray().Add(new JsonObject { ["Name"] = "Vary", ["Value"] = "Accept-Encoding" });
    }
}
