using System.Text.Json.Nodes;
using PetitionDashboard.Infrastructure.StaticAssets;

namespace PetitionDashboard.Tests.Infrastructure.StaticAssets;

/// <summary>
/// The published manifest as the SDK 10.0.4xx writes it for a package asset (MudBlazor's CSS): the plain route negotiates
/// br/gzip, the fingerprinted route <c>@Assets</c> links to does not. The completed manifest serves the fingerprinted route
/// compressed, still immutable, and leaves every endpoint that already negotiates as it was.
/// </summary>
public sealed class PackageAssetCompressionTests
{
    private const string Fingerprinted = "_content/MudBlazor/MudBlazor.min.k4r0it8844.css";
    private const string Plain = "_content/MudBlazor/MudBlazor.min.css";

    private static JsonObject Endpoint(string route, string file, string cacheControl, string? encoding = null, bool fingerprint = false,
        string? label = null) => new()
    {
        ["Route"] = route,
        ["AssetFile"] = file,
        ["Selectors"] = encoding is null ? new JsonArray() : new JsonArray(new JsonObject { ["Name"] = "Content-Encoding", ["Value"] = encoding, ["Quality"] = "0.001" }),
        ["ResponseHeaders"] = new JsonArray(
            new JsonObject { ["Name"] = "Cache-Control", ["Value"] = cacheControl },
            new JsonObject { ["Name"] = "Content-Type", ["Value"] = "text/css" }),
        ["EndpointProperties"] = fingerprint
            ? new JsonArray(new JsonObject { ["Name"] = "fingerprint", ["Value"] = "k4r0it8844" }, new JsonObject { ["Name"] = "label", ["Value"] = label ?? Plain })
            : new JsonArray(),
    };

    private static JsonNode Manifest() => new JsonObject
    {
        ["Version"] = 1,
        ["Endpoints"] = new JsonArray(
            Endpoint(Plain, Plain, "no-cache"),
            Endpoint(Plain, Plain + ".br", "no-cache", "br"),
            Endpoint(Plain, Plain + ".gz", "no-cache", "gzip"),
            Endpoint(Fingerprinted, Plain, "max-age=31536000, immutable", fingerprint: true)),
    };

    private static IEnumerable<JsonNode> At(JsonNode manifest, string route) => manifest["Endpoints"]!.AsArray().Where(e => (string?)e!["Route"] == route)!;

    private static string? Header(JsonNode e, string name) =>
        e["ResponseHeaders"]!.AsArray().Where(h => (string?)h!["Name"] == name).Select(h => (string?)h!["Value"]).FirstOrDefault();

    [Fact]
    public void FingerprintedPackageAsset_GetsItsPlainRoutesCompressedVariants_StillImmutable()
    {
        var manifest = Manifest();

        Assert.Equal(2, PackageAssetCompression.AddMissingVariants(manifest));

        var served = At(manifest, Fingerprinted).ToList();
        Assert.Equal(3, served.Count);
        var byEncoding = served.ToDictionary(e => e["Selectors"]!.AsArray().Select(s => (string?)s!["Value"]).FirstOrDefault() ?? "identity");
        Assert.Equal(Plain + ".br", (string?)byEncoding["br"]["AssetFile"]);
        Assert.Equal(Plain + ".gz", (string?)byEncoding["gzip"]["AssetFile"]);
        Assert.Equal(Plain, (string?)byEncoding["identity"]["AssetFile"]);
        Assert.All(served, e => Assert.Equal("max-age=31536000, immutable", Header(e, "Cache-Control")));
        Assert.All(served, e => Assert.Equal("Accept-Encoding", Header(e, "Vary")));
        // The plain route is untouched: still revalidated (no-cache), as the SDK wrote it.
        Assert.All(At(manifest, Plain), e => Assert.Equal("no-cache", Header(e, "Cache-Control")));
        Assert.Equal(3, At(manifest, Plain).Count());
    }

    [Fact]
    public void ARouteThatAlreadyNegotiates_IsLeftAsItIs_AndASecondPassAddsNothing()
    {
        var manifest = Manifest();
        PackageAssetCompression.AddMissingVariants(manifest);
        var once = manifest.ToJsonString();

        Assert.Equal(0, PackageAssetCompression.AddMissingVariants(manifest));
        Assert.Equal(once, manifest.ToJsonString());
    }
}
