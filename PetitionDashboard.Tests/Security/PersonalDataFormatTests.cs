using System.Security.Cryptography;
using System.Text;
using PetitionDashboard.Data.Protection;

namespace PetitionDashboard.Tests.Security;

/// <summary>
/// The at-rest format of PersonalDataProtector is a contract with every existing database: values sealed before (one AesGcm
/// per value, issue 12 changed that to kept instances) must still open, and a key must still hash to the same stored key.
/// The sealed values below were made outside .NET (Python's cryptography package: AES-256-GCM, nonce | ciphertext | tag,
/// base64; HMAC-SHA256, base64url without padding) under a fixed key with a fixed nonce, as the old code wrote them.
/// </summary>
public class PersonalDataFormatTests
{
    private static readonly byte[] EncryptionKey = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
    private static readonly byte[] HashingKey = [.. Enumerable.Range(32, 32).Select(i => (byte)i)];

    private static PersonalDataProtector Protector() => new(new PersonalDataKeyRing([new PersonalDataKey("k7", EncryptionKey, HashingKey)], "k7"));

    [Theory]
    [InlineData("k7:ZGVmZ2hpamtsbW5veSruV0nYZ6cHUm/b6lJbz3H2Wtj6+sDtiIIQQYSvci68GQ==", "110101199003071234")]
    [InlineData("k7:ZGVmZ2hpamtsbW5veSjmVknYZaYOUm9lCD/LOqlGUQfWh+jpHmw/", "13800138000")]
    [InlineData("k7:ZGVmZ2hpamtsbW5vAV/kV0jZZ64PU2bR6lVZzXXzNDm/rMT9J6uOZWuSckdO5Lh4xA==", "ID:110101199003071234")]
    public void AValueSealedByTheOldCode_Opens(string stored, string clear)
    {
        var protector = Protector();
        Assert.Equal(clear, protector.Reveal(stored));
        // Again, through the instance the first call kept.
        Assert.Equal(clear, protector.Reveal(stored));
    }

    [Fact]
    public void BytesSealedByTheOldCode_Open_OnlyInTheirPlace()
    {
        var protector = Protector();
        var sealedBytes = Convert.FromBase64String("ZGVmZ2hpamtsbW5vr7dyVZFI2r7b3v8MYuweJU5HlpXzEq1nvjs3MDJ7");
        Assert.Equal("第3行 张三", Encoding.UTF8.GetString(protector.RevealBytes("k7", sealedBytes, "errors.bin#0"u8)));
        Assert.ThrowsAny<CryptographicException>(() => protector.RevealBytes("k7", sealedBytes, "errors.bin#1"u8));
        // The failed call did not spoil what the next one uses.
        Assert.Equal("第3行 张三", Encoding.UTF8.GetString(protector.RevealBytes("k7", sealedBytes, "errors.bin#0"u8)));
    }

    [Theory]
    [InlineData("ID:110101199003071234", "ID:k7:qwrghmv5K1vhK3W0m7orgD7XjCCI5UEvv6uuGTDZ7y4")]
    [InlineData("NP:张三|13800138000", "NP:k7:FcqQVIqhGY5j8ooHPJ9lymQJ5h2OdLn9O25Kub5r2LQ")]
    public void AnIdentityKey_HashesToTheStoredKeyOfTheOldCode_OnEveryPath(string clear, string stored)
    {
        var protector = Protector();
        Assert.Equal(stored, protector.IdentityKey(clear));
        Assert.Equal(clear, protector.LookupMap([clear])[stored]);
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        protector.LookupMap([clear], current);
        Assert.Equal(stored, current[clear]);
        // The hash handed over is the one a fresh hash gives.
        Assert.Equal(stored, protector.NewPetitioner("张三", null, null, null, clear, current[clear]).IdentityKey);
        Assert.Equal(stored, protector.NewPetitioner("张三", null, null, null, clear).IdentityKey);
    }

    [Fact]
    public void ValuesSealedNow_OpenWithTheOldCodesAlgorithm_AndEachHasItsOwnNonce()
    {
        var protector = Protector();
        var first = protector.Protect("110101199003071234")!;
        var second = protector.Protect("110101199003071234")!;
        Assert.NotEqual(first, second);
        foreach (var stored in new[] { first, second })
        {
            Assert.StartsWith("k7:", stored, StringComparison.Ordinal);
            var bytes = Convert.FromBase64String(stored[3..]);
            var plain = new byte[bytes.Length - 28];
            // What the old code did for every value: a new AesGcm over nonce | ciphertext | tag.
            using var aes = new AesGcm(EncryptionKey, 16);
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(12, plain.Length), bytes.AsSpan(12 + plain.Length, 16), plain);
            Assert.Equal("110101199003071234", Encoding.UTF8.GetString(plain));
        }
    }

    [Fact]
    public async Task SealingFromManyThreadsAtOnce_GivesValuesThatOpen()
    {
        var protector = Protector();
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(t => Task.Run(() =>
            Enumerable.Range(0, 500).All(i =>
            {
                var clear = $"1380013{t:D2}{i:D3}";
                return protector.Reveal(protector.Protect(clear)) == clear;
            }), TestContext.Current.CancellationToken)));
        Assert.All(results, Assert.True);
    }
}
