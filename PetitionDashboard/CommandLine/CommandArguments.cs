using System.Globalization;

namespace PetitionDashboard.CommandLine;

/// <summary>
/// The options given to a command. Configuration overrides (<c>--Section:Key value</c>) and the host's own settings
/// (<c>--environment</c>, <c>--contentRoot</c>, …) belong to the configuration and are skipped here.
/// </summary>
public sealed class CommandArguments
{
    private static readonly string[] HostSettings = ["environment", "contentRoot", "applicationName", "urls"];

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    private CommandArguments() { }

    /// <summary>Parses the arguments after the command name against the command's options.</summary>
    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlyList<CommandOption> options)
    {
        var parsed = new CommandArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var token = args[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || token.Length == 2)
                throw new CommandUsageException($"无法识别的参数“{token}”：选项须以 -- 开头，例如 --petitions 1000");
            var name = token[2..];
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            var isConfiguration = name.Contains(':') || HostSettings.Contains(name, StringComparer.OrdinalIgnoreCase);
            if (isConfiguration) continue;
            var option = options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new CommandUsageException(options.Count == 0
                    ? $"未知选项 --{name}：该命令没有选项"
                    : $"未知选项 --{name}；可用选项：{string.Join("、", options.Select(o => "--" + o.Name))}");
            if (value is null) throw new CommandUsageException($"选项 --{option.Name} 缺少取值（{option.ValueName}）");
            parsed._values[option.Name] = value;
        }
        return parsed;
    }

    public bool Has(string option) => _values.ContainsKey(option);

    public string? Text(string option) => _values.GetValueOrDefault(option);

    /// <summary>The option as a whole number within [min, max], or the default when it is not given.</summary>
    public int Integer(string option, int defaultValue, int min, int max)
    {
        if (!_values.TryGetValue(option, out var text)) return defaultValue;
        var cleaned = text.Replace("_", "").Replace(",", "");
        if (!int.TryParse(cleaned, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new CommandUsageException($"选项 --{option} 的值“{text}”不是整数");
        if (value < min || value > max)
            throw new CommandUsageException($"选项 --{option} 的值 {value} 超出范围：须在 {min} 至 {max} 之间");
        return value;
    }
}
