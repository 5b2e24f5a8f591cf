using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PetitionDashboard.Data.Protection;

/// <summary>
/// Section "PersonalData": where the keys that protect 身份证号 and phone numbers at rest come from. Never the database:
/// a copy of the database file (a backup, a stolen disk) must not carry the means to read it.
/// Either <see cref="KeyFile"/> (a JSON file of this same shape, readable by the app's user only) or keys in configuration /
/// environment (<c>PersonalData__CurrentKey</c>, <c>PersonalData__Keys__k1__Encryption</c>, <c>…__Hashing</c>); both may be given.
/// </summary>
public sealed class PersonalDataOptions
{
    public const string Section = "PersonalData";

    /// <summary>The key file; Development and Test create one (0600) when neither a file nor keys are configured.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The key new values are written under; the others only read old values until <c>rotate-keys</c> has run.</summary>
    public string? CurrentKey { get; set; }

    public Dictionary<string, PersonalDataKeyText> Keys { get; set; } = [];

    /// <summary>Petitioners re-encrypted per transaction by <c>rotate-keys</c> and the start-up step.</summary>
    public int RotationBatchSize { get; set; } = 500;
}

/// <summary>One key of the ring: 32 random bytes each, base64, for AES-256-GCM and for HMAC-SHA256 (separate on purpose).</summary>
public sealed class PersonalDataKeyText
{
    public string Encryption { get; set; } = "";
    public string Hashing { get; set; } = "";
}

/// <summary>A loaded key: <see cref="Id"/> is written in front of every value it protects, so rotation knows what is old.</summary>
public sealed record PersonalDataKey(string Id, byte[] Encryption, byte[] Hashing);

/// <summary>
/// The keys of <see cref="PersonalDataOptions"/>, loaded once. Production refuses to start without them (a Chinese message
/// saying how to create a key file); Development and Test make a local key file outside the database on first use.
/// </summary>
public sealed partial class PersonalDataKeyRing
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public PersonalDataKeyRing(IReadOnlyList<PersonalDataKey> keys, string currentId)
    {
        if (keys.Count == 0) throw new ArgumentException("empty key ring", nameof(keys));
        Keys = keys.ToDictionary(k => k.Id, StringComparer.Ordinal);
        Current = Keys.TryGetValue(currentId, out var current) ? current
            : throw new OptionsValidationException(PersonalDataOptions.Section, typeof(PersonalDataOptions),
                [$"PersonalData:CurrentKey 指定的密钥“{currentId}”不在密钥环中（已有：{string.Join("、", Keys.Keys)}）"]);
    }

    public PersonalDataKey Current { get; }

    public IReadOnlyDictionary<string, PersonalDataKey> Keys { get; }

    /// <summary>The ring the configuration describes; throws <see cref="OptionsValidationException"/> (zh-CN) when there is none.</summary>
    public static PersonalDataKeyRing Load(PersonalDataOptions options, IHostEnvironment environment)
    {
        var file = string.IsNullOrWhiteSpace(options.KeyFile) ? null : Path.GetFullPath(options.KeyFile, environment.ContentRootPath);
        if (file is null && options.Keys.Count == 0 && MayCreateLocalKey(environment))
            file = Path.Combine(environment.ContentRootPath, "data", "keys", "personal-data-keys.json");
        if (file is not null && !File.Exists(file) && MayCreateLocalKey(environment)) AddKey(file);

        var texts = new Dictionary<string, PersonalDataKeyText>(StringComparer.Ordinal);
        string? current = null;
        if (file is not null)
        {
            if (!File.Exists(file)) throw Refusal($"密钥文件 {file} 不存在。");
            var stored = ReadFile(file);
            foreach (var (id, key) in stored.Keys) texts[id] = key;
            current = stored.CurrentKey;
        }
        foreach (var (id, key) in options.Keys) texts[id] = key;
        current = string.IsNullOrWhiteSpace(options.CurrentKey) ? current : options.CurrentKey;
        if (texts.Count == 0) throw Refusal("没有配置任何密钥。");

        var keys = texts.Select(t => Parse(t.Key, t.Value)).ToList();
        return new PersonalDataKeyRing(keys, current ?? keys[^1].Id);
    }

    /// <summary>
    /// Adds a fresh key to <paramref name="file"/> (creating it, 0600 in a 0700 folder) and makes it the current one; the
    /// earlier keys stay, so values written under them remain readable until <c>rotate-keys</c> re-encrypts them. Returns its id.
    /// </summary>
    public static string AddKey(string file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (!Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, FolderMode);
        }
        var stored = File.Exists(file) ? ReadFile(file) : new PersonalDataOptions();
        var id = NewKeyId(stored.Keys.Keys);
        stored.Keys[id] = new PersonalDataKeyText
        {
            Encryption = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Hashing = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        stored.CurrentKey = id;
        // Written beside the file and moved over it: a crash never leaves half a key ring.
        var temp = file + ".new";
        var text = JsonSerializer.Serialize(new { stored.CurrentKey, stored.Keys }, Json);
        using (var stream = OperatingSystem.IsWindows()
                   ? new FileStream(temp, FileMode.Create, FileAccess.Write)
                   : new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = PrivateFile }))
        using (var writer = new StreamWriter(stream))
            writer.Write(text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, PrivateFile);
        File.Move(temp, file, overwrite: true);
        return id;
    }

    private static bool MayCreateLocalKey(IHostEnvironment environment) =>
        environment.IsDevelopment() || environment.IsEnvironment("Test") || environment.IsEnvironment("Testing");

    private static PersonalDataOptions ReadFile(string file)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<PersonalDataOptions>(File.ReadAllText(file)) ?? new PersonalDataOptions();
            stored.Keys = new Dictionary<string, PersonalDataKeyText>(stored.Keys, StringComparer.Ordinal);
            return stored;
        }
        catch (JsonException e)
        {
            throw Refusal($"密钥文件 {file} 不是有效的 JSON（{e.Message}）。");
        }
    }

    private static string NewKeyId(IEnumerable<string> taken)
    {
        var existing = taken.ToHashSet(StringComparer.Ordinal);
        var id = "k" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        for (var n = 2; existing.Contains(id); n++) id = $"k{DateTime.UtcNow:yyyyMMddHHmmss}n{n}";
        return id;
    }

    private static PersonalDataKey Parse(string id, PersonalDataKeyText text)
    {
        if (!KeyId().IsMatch(id)) throw Refusal($"密钥编号“{id}”无效：应为小写字母开头的字母和数字，最长 20 位。");
        static byte[]? Bytes(string value)
        {
            try { return Convert.FromBase64String(value); }
            catch (FormatException) { return null; }
        }
        var encryption = Bytes(text.Encryption);
        var hashing = Bytes(text.Hashing);
        if (encryption is not { Length: 32 } || hashing is not { Length: 32 })
            throw Refusal($"密钥“{id}”无效：Encryption 和 Hashing 都应为 32 字节随机数的 base64。");
        return new PersonalDataKey(id, encryption, hashing);
    }

    private static OptionsValidationException Refusal(string what) => new(PersonalDataOptions.Section, typeof(PersonalDataOptions),
    [
        "身份证号和联系电话加密存储，所用密钥不放在数据库中：" + what +
        "请在服务器上生成密钥文件：dotnet PetitionDashboard.dll create-key --file /etc/petition-dashboard/personal-data-keys.json" +
        "（文件只允许运行本程序的用户读取，勿与数据库放在同一备份中；多台服务器使用同一文件），" +
        "再以 PersonalData:KeyFile（环境变量 PersonalData__KeyFile）指向它。",
    ]);

    [GeneratedRegex("^[a-z][a-z0-9]{0,19}$")]
    private static partial Regex KeyId();
}
