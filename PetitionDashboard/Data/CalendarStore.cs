using PetitionDashboard.Domain;

namespace PetitionDashboard.Data;

/// <summary>
/// Loads the holiday calendar files: the ones shipped with the app (Domain/Calendars) and the ones an admin added
/// (Calendar:Folder, default data/calendars), the latter winning for the same year.
/// </summary>
public sealed class CalendarStore
{
    private readonly string _adminFolder;
    private WorkingCalendar _calendar;

    public CalendarStore(IConfiguration configuration, IHostEnvironment? env = null)
    {
        var root = env?.ContentRootPath ?? AppContext.BaseDirectory;
        _adminFolder = Path.GetFullPath(configuration["Calendar:Folder"] ?? Path.Combine(root, "data", "calendars"));
        _calendar = Load();
    }

    public WorkingCalendar Calendar => _calendar;

    public string AdminFolder => _adminFolder;

    private WorkingCalendar Load()
    {
        var years = new Dictionary<int, HolidayYear>();
        foreach (var folder in new[] { Path.Combine(AppContext.BaseDirectory, "Domain", "Calendars"), _adminFolder })
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*.json").Order())
            {
                var year = HolidayYear.Parse(File.ReadAllText(file));
                years[year.Year] = year;
            }
        }
        return new WorkingCalendar(years.Values);
    }
}
