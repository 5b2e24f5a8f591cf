using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using PetitionDashboard.Data.Protection;

namespace PetitionDashboard.Tests.Support;

/// <summary>
/// The key ring of this test run: one key file in the run's temp folder (<see cref="TestTempFolder"/>, removed with it), named in <c>PersonalData__KeyFile</c> before any test runs,
/// so every host (WebApplicationFactory, the app's own process in Production) and every seeding helper encrypts and hashes
/// with the same keys, as the nodes of one installation do.
/// </summary>
public static class TestPersonalData
{
    public const string Variable = "PersonalData__KeyFile";

    public static string KeyFile { get; } = CreateKeyFile();

    private static readonly Lazy<PersonalDataProtector> Shared = new(() => ProtectorFor(KeyFile));

    /// <summary>The protector the hosts of this run use.</summary>
    public static PersonalDataProtector Protector => Shared.Value;

    /// <summary>A protector for another key file (a rotation test's own ring).</summary>
    public static PersonalDataProtector ProtectorFor(string keyFile) => new(Ring(keyFile));

    public static PersonalDataKeyRing Ring(string keyFile) => PersonalDataKeyRing.Load(
        new PersonalDataOptions { KeyFile = keyFile },
        new HostingEnvironment { EnvironmentName = Environments.Production, ContentRootPath = Path.GetTempPath() });

#pragma warning disable CA2255 // the test run's environment is set once, before any test or host reads it
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        _ = TestTempFolder.Run; // first: the key file and everything after it go into the run's own temp folder
        _ = KeyFile;
    }

    private static string CreateKeyFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pd-test-keys-{Environment.ProcessId}.json");
        if (!File.Exists(file)) PersonalDataKeyRing.AddKey(file);
        Environment.SetEnvironmentVariable(Variable, file);
        return file;
    }
}
