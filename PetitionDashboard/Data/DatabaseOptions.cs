using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace PetitionDashboard.Data;

/// <summary>
/// The database engines the app has migrations for. A name the app does not know binds to no member (see
/// <see cref="DatabaseProviderConverter"/>), so start-up can refuse it in Chinese instead of failing in the binder.
/// </summary>
[TypeConverter(typeof(DatabaseProviderConverter))]
public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }

/// <summary>Section "Database" of appsettings.json.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    [Required(AllowEmptyStrings = false, ErrorMessage = "配置项 Database:ConnectionString 不能为空")]
    public string ConnectionString { get; set; } = "Data Source=data/petitions.db";
}

/// <summary>Refuses a provider name the app does not know, naming the key and the names it accepts.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public static string Accepted => string.Join("、", Enum.GetNames<DatabaseProvider>());

    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        Enum.IsDefined(options.Provider)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"配置项 {DatabaseOptions.Section}:{nameof(DatabaseOptions.Provider)} 的值无效：只能是 {Accepted} 之一（不区分大小写）");
}

/// <summary>
/// Binds a provider name case-insensitively; an unknown name (or a number) becomes an undefined value that
/// <see cref="DatabaseOptionsValidator"/> refuses, because the configuration binder would otherwise throw an English
/// conversion error with a stack trace.
/// </summary>
public sealed class DatabaseProviderConverter : EnumConverter
{
    public const DatabaseProvider Unknown = (DatabaseProvider)(-1);

    public DatabaseProviderConverter() : base(typeof(DatabaseProvider)) { }

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? Enum.GetNames<DatabaseProvider>().FirstOrDefault(n => n.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } known
                ? Enum.Parse<DatabaseProvider>(known)
                : Unknown
            : base.ConvertFrom(context, culture, value);
}
