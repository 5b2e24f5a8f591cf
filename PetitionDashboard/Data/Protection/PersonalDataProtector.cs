using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using PetitionDashboard.Domain;

namespace PetitionDashboard.Data.Protection;

/// <summary>
/// The one place 身份证号 and phone numbers pass between clear text and the database (docs/rules.md §10): registration, the
/// ledger import, repeat detection, the reveal, exports, the audit trail, demo data and key rotation all go through it.
/// <list type="bullet">
/// <item>Values are encrypted with AES-256-GCM under the ring's current key: <c>keyId:base64(nonce|ciphertext|tag)</c>.</item>
/// <item>The repeat-matching identity key ("ID:…", "NP:name|phone") is stored as a keyed hash (HMAC-SHA256 with a key of its
/// own) that keeps its kind: <c>ID:keyId:hash</c>; equal people still have equal keys, so the index and repeat detection work.
/// The clear key is kept encrypted beside it (<see cref="Petitioner.IdentitySource"/>) so a new hashing key can re-hash it.</item>
/// </list>
/// </summary>
public sealed class PersonalDataProtector(PersonalDataKeyRing ring)
{
    private const int NonceSize = 12, TagSize = 16;

    // An AesGcm holds a keyed OpenSSL context: building one per value was most of the sealing cost of an import (three per
    // new petitioner, issue 12). An instance is not thread-safe, so each is lent to one caller at a time; a few per key are kept.
    private readonly ConcurrentDictionary<string, ConcurrentQueue<AesGcm>> _ciphers = new(StringComparer.Ordinal);
    private static readonly int CiphersKept = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Keys of people without a usable identity ("NK:" + a random id): nothing personal in them, stored as they are.</summary>
    public const string NoIdentityPrefix = "NK:";

    public string CurrentKeyId => ring.Current.Id;

    /// <summary>A value encrypted under the current key; null for null or empty.</summary>
    public string? Protect(string? clear)
    {
        if (string.IsNullOrEmpty(clear)) return null;
        var key = ring.Current;
        var plain = Encoding.UTF8.GetBytes(clear);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var aes = Rent(key);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length, TagSize));
        Return(key, aes);
        return key.Id + ":" + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>
    /// The clear value of a stored one. A value written before encryption existed (no key id) is returned as it is: the start-up
    /// step encrypts such rows, and until it has, they stay readable.
    /// </summary>
    public string? Reveal(string? stored)
    {
        if (string.IsNullOrEmpty(stored)) return null;
        var colon = stored.IndexOf(':');
        if (colon <= 0) return stored;
        if (!ring.Keys.TryGetValue(stored[..colon], out var key))
            throw new CryptographicException($"密钥“{stored[..colon]}”不在密钥环中：无法解密个人信息（密钥文件是否少了旧密钥？）");
        var sealedBytes = Convert.FromBase64String(stored[(colon + 1)..]);
        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        var aes = Rent(key);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length), sealedBytes.AsSpan(NonceSize + length, TagSize), plain);
        Return(key, aes);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// Bytes that echo personal data (a prepared import error list quotes the ledger's cells) sealed under the current key:
    /// nonce | ciphertext | tag. <paramref name="associated"/> binds them to their place (file and chunk), so a sealed piece
    /// cannot be moved to another; <paramref name="keyId"/> is what <see cref="RevealBytes"/> needs back.
    /// </summary>
    public byte[] ProtectBytes(ReadOnlySpan<byte> clear, ReadOnlySpan<byte> associated, out string keyId)
    {
        var key = ring.Current;
        keyId = key.Id;
        var sealedBytes = new byte[NonceSize + clear.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var aes = Rent(key);
        aes.Encrypt(nonce, clear, sealedBytes.AsSpan(NonceSize, clear.Length), sealedBytes.AsSpan(NonceSize + clear.Length, TagSize), associated);
        Return(key, aes);
        return sealedBytes;
    }

    /// <summary>The clear bytes of <see cref="ProtectBytes"/>'s output; throws when they were changed or moved.</summary>
    public byte[] RevealBytes(string keyId, ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associated)
    {
        if (!ring.Keys.TryGetValue(keyId, out var key))
            throw new CryptographicException($"密钥“{keyId}”不在密钥环中：无法解密（密钥文件是否少了旧密钥？）");
        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        var aes = Rent(key);
        aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, length), sealedBytes.Slice(NonceSize + length, TagSize), plain, associated);
        Return(key, aes);
        return plain;
    }

    private AesGcm Rent(PersonalDataKey key) =>
        _ciphers.TryGetValue(key.Id, out var kept) && kept.TryDequeue(out var aes) ? aes : new AesGcm(key.Encryption, TagSize);

    // Only after a call that succeeded: an instance whose call threw (a changed value) is left to its finalizer, never lent again.
    private void Return(PersonalDataKey key, AesGcm aes)
    {
        var kept = _ciphers.GetOrAdd(key.Id, _ => new ConcurrentQueue<AesGcm>());
        if (kept.Count < CiphersKept) kept.Enqueue(aes);
        else aes.Dispose();
    }

    /// <summary>True when the stored value is encrypted (carries a key id); clear legacy numbers contain no ':'.</summary>
    public static bool IsProtected(string? stored) => stored is not null && stored.IndexOf(':') > 0;

    public string? MaskedIdNumber(string? stored) => PersonalData.MaskIdNumber(Reveal(stored));

    public string? MaskedPhone(string? stored) => PersonalData.MaskPhone(Reveal(stored));

    /// <summary>The stored form of a clear identity key: "ID:" / "NP:" + current key id + ":" + HMAC; "NK:" keys as they are.</summary>
    public string IdentityKey(string clearKey) => IdentityKey(clearKey, ring.Current);

    /// <summary>
    /// What to look for in <see cref="Petitioner.IdentityKey"/>: a clear key's hash under every key of the ring (during a
    /// rotation some rows still carry the old hash); a key that is already a stored one (read from the database) as it is.
    /// </summary>
    public IReadOnlyList<string> LookupKeys(IEnumerable<string> keys)
    {
        var result = new List<string>();
        foreach (var key in keys)
        {
            if (IsStoredIdentityKey(key)) result.Add(key);
            else result.AddRange(ring.Keys.Values.Select(k => IdentityKey(key, k)));
        }
        return result.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Which stored key stands for which clear key, for callers that looked several up at once (the import): every hash of
    /// every clear key, mapped back to it.
    /// </summary>
    /// <param name="currentHashes">when given, receives each clear key's hash under the current key — what
    /// <see cref="NewPetitioner"/> stores — so a person the caller then adds is not hashed a second time.</param>
    public Dictionary<string, string> LookupMap(IEnumerable<string> clearKeys, Dictionary<string, string>? currentHashes = null)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in clearKeys)
        {
            if (IsStoredIdentityKey(key)) map[key] = key;
            else
                foreach (var k in ring.Keys.Values)
                {
                    var hash = IdentityKey(key, k);
                    map[hash] = key;
                    if (currentHashes is not null && ReferenceEquals(k, ring.Current)) currentHashes[key] = hash;
                }
        }
        return map;
    }

    /// <summary>A key as stored: hashed ("ID:k…:…", "NP:k…:…", no '|') or a no-identity key.</summary>
    public static bool IsStoredIdentityKey(string key) =>
        key.StartsWith(NoIdentityPrefix, StringComparison.Ordinal)
        || (key.Length > 4 && key[2] == ':' && char.IsAsciiLetterLower(key[3]) && key.IndexOf(':', 3) > 3 && !key.Contains('|'));

    /// <summary>
    /// A new petitioner with its numbers encrypted and its identity key hashed. <paramref name="clearKey"/> null: a person
    /// without a usable identity, who gets a key that never matches anyone. <paramref name="hashedKey"/>: the clear key's
    /// hash under the current key when the caller has it already (<see cref="LookupMap"/>'s <c>currentHashes</c>).
    /// </summary>
    public Petitioner NewPetitioner(string name, string? idNumber, string? phone, string? address, string? clearKey, string? hashedKey = null)
    {
        var p = new Petitioner { Name = name, Address = address, IdentityKey = "" };
        SetIdentity(p, clearKey ?? NoIdentityPrefix + Guid.NewGuid().ToString("N"), hashedKey);
        p.IdNumber = Protect(idNumber);
        p.Phone = Protect(phone);
        return p;
    }

    /// <summary>The stored form of a person made in clear (the demo generator's): a copy, the original left as it is.</summary>
    public Petitioner StoredCopy(Petitioner clear)
    {
        var copy = NewPetitioner(clear.Name, clear.IdNumber, clear.Phone, clear.Address, clear.IdentityKey);
        copy.Id = clear.Id;
        return copy;
    }

    /// <summary>Sets a changed number only when it differs from the stored one (a fresh encryption of the same number would
    /// show in the audit trail as a change).</summary>
    public void UpdateIdNumber(Petitioner p, string? idNumber)
    {
        if (Reveal(p.IdNumber) != idNumber) p.IdNumber = Protect(idNumber);
    }

    /// <inheritdoc cref="UpdateIdNumber"/>
    public void UpdatePhone(Petitioner p, string? phone)
    {
        if (Reveal(p.Phone) != phone) p.Phone = Protect(phone);
    }

    public void SetIdentity(Petitioner p, string clearKey) => SetIdentity(p, clearKey, null);

    private void SetIdentity(Petitioner p, string clearKey, string? hashedKey)
    {
        if (clearKey.StartsWith(NoIdentityPrefix, StringComparison.Ordinal))
        {
            p.IdentityKey = clearKey;
            p.IdentitySource = null;
            return;
        }
        p.IdentityKey = hashedKey ?? IdentityKey(clearKey);
        p.IdentitySource = Protect(clearKey);
    }

    /// <summary>The clear identity key of a stored petitioner (masked before anyone sees it), or null for a no-identity key.</summary>
    public string? RevealIdentity(string? identitySource, string? identityKey) =>
        identitySource is not null ? Reveal(identitySource)
        : identityKey is not null && !IsStoredIdentityKey(identityKey) ? identityKey
        : null;

    /// <summary>
    /// Re-encrypts and re-hashes one petitioner under the current key — a row written in clear before encryption existed, or
    /// under an older key. Returns false when nothing needed doing.
    /// </summary>
    public bool Rewrap(Petitioner p)
    {
        if (!NeedsRewrap(p)) return false;
        var id = Reveal(p.IdNumber);
        var phone = Reveal(p.Phone);
        if (!p.IdentityKey.StartsWith(NoIdentityPrefix, StringComparison.Ordinal) && RevealIdentity(p.IdentitySource, p.IdentityKey) is { } clearKey)
            SetIdentity(p, clearKey);
        p.IdNumber = Protect(id);
        p.Phone = Protect(phone);
        return true;
    }

    private bool NeedsRewrap(Petitioner p)
    {
        var current = ring.Current.Id + ":";
        bool Old(string? v) => v is not null && !v.StartsWith(current, StringComparison.Ordinal);
        var key = p.IdentityKey;
        var oldKey = !key.StartsWith(NoIdentityPrefix, StringComparison.Ordinal) && !(key.Length > 3 && key[3..].StartsWith(current, StringComparison.Ordinal));
        return Old(p.IdNumber) || Old(p.Phone) || Old(p.IdentitySource) || oldKey;
    }

    private static string IdentityKey(string clearKey, PersonalDataKey key)
    {
        if (clearKey.StartsWith(NoIdentityPrefix, StringComparison.Ordinal)) return clearKey;
        var kind = clearKey.Length >= 3 && clearKey[2] == ':' ? clearKey[..3] : "XX:";
        var hash = HMACSHA256.HashData(key.Hashing, Encoding.UTF8.GetBytes(clearKey));
        return kind + key.Id + ":" + Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
