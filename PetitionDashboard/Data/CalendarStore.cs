using Microsoft.Extensions.Options;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

/// <summary>Section "Calendar" of appsettings.json.</summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>Where the calendar years an Admin adds are kept; relative to the app's content root.</summary>
    public string Folder { get; set; } = Path.Combine("data", "calendars");
}

/// <summary>
/// Loads the holiday calendar files: the ones shipped with the app (Domain/Calendars) and the ones an admin added
/// (Calendar:Folder, default data/calendars), the latter winning for the same year.
/// </summary>
public sealed class CalendarStore
{
    private readonly string _adminFolder;
    private readonly Lock _gate = new();
    private volatile WorkingCalendar _calendar;

    public CalendarStore(IOptions<CalendarOptions> options, IHostEnvironment? env = null)
    {
        var root = env?.ContentRootPath ?? AppContext.BaseDirectory;
        _adminFolder = Path.GetFullPath(options.Value.Folder, root);
        _calendar = new WorkingCalendar(LoadYears().Values);
    }

    public WorkingCalendar Calendar => _calendar;

    /// <summary>Every year on file, with where it came from (shipped or added by an admin).</summary>
    public IReadOnlyList<(HolidayYear Year, bool AddedByAdmin)> Years()
    {
        return LoadYears().Values.OrderBy(y => y.Year)
            .Select(y => (y, File.Exists(Path.Combine(_adminFolder, $"{y.Year}.json"))))
            .ToList();
    }

    /// <summary>Saves a year (replacing an earlier admin file for it) and swaps in the new calendar.</summary>
    public WorkingCalendar Save(HolidayYear year)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(_adminFolder);
            var path = Path.Combine(_adminFolder, $"{year.Year}.json");
            var temp = path + ".tmp";
            File.WriteAllText(temp, year.ToJson());
            File.Move(temp, path, overwrite: true);
            _calendar = new WorkingCalendar(LoadYears().Values);
            return _calendar;
        }
    }

    private static string ShippedFolder => Path.Combine(AppContext.BaseDirectory, "Domain", "Calendars");

    private Dictionary<int, HolidayYear> LoadYears()
    {
        var years = new Dictionary<int, HolidayYear>();
        foreach (var year in ReadFolder(ShippedFolder).Concat(ReadFolder(_adminFolder))) years[year.Year] = year;
        return years;
    }

    private static IEnumerable<HolidayYear> ReadFolder(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json").Order().Select(f => HolidayYear.Parse(File.ReadAllText(f)))
            : [];
}
