namespace PetitionDashboard.Data.Demo;

/// <summary>Section "Demo" of appsettings.json: the demo data the web app loads into an empty embedded database.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>The most petitions one run generates (the command line's upper bound).</summary>
    public const int MaxPetitions = 1_000_000;

    /// <summary>
    /// Load demo data (and the demo accounts) at web start-up into an empty embedded (SQLite) database. Not set (null):
    /// only in the Development environment — a production server never gets demo accounts unless someone asks for them.
    /// </summary>
    public bool? Enabled { get; set; }

    public int Petitions { get; set; } = 30_000;

    /// <summary>Same seed and same "today" give the same data.</summary>
    public int Seed { get; set; } = 20261123;

    /// <summary>Petitions written per transaction; memory stays flat in the total.</summary>
    public int BatchSize { get; set; } = 10_000;
}
