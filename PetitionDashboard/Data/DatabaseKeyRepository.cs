using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace PetitionDashboard.Data;

/// <summary>
/// The data-protection key ring (sign-in cookies, antiforgery tokens) in the app's own database, so every node reads the
/// same keys and a restart keeps them. Like PersistKeysToDbContext, but through the context factory the app already has
/// (no AppDbContext in DI for pages to misuse).
/// </summary>
public sealed class DatabaseKeyRepository(IDbContextFactory<AppDbContext> dbs) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = dbs.CreateDbContext();
        return db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToList()
            .Where(xml => !string.IsNullOrEmpty(xml)).Select(xml => XElement.Parse(xml!)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = dbs.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
