using System.Text.Json;
using Microsoft.Playwright;

namespace PetitionDashboard.Tests.Browser;

/// <summary>
/// Watches a page's data rows from before its first byte to after its circuit has started: a MutationObserver installed by
/// an init script (it runs before the document exists, outside the page's CSP) notes the rows' text once the prerendered HTML is
/// parsed and every moment they leave the DOM again — a grid that renders empty or a loading state when
/// the circuit starts, then its rows again, is a blink the reader sees.
/// </summary>
internal static class PrerenderedRows
{
    /// <summary>Installs the watch on <paramref name="page"/> for its next navigations.</summary>
    public static Task WatchAsync(IPage page, string rowSelector) => page.AddInitScriptAsync($$"""
        (() => {
          const rows = {{JsonSerializer.Serialize(rowSelector)}};
          const w = window.__pdRows = { first: null, removals: 0, changes: [] };
          const text = () => Array.from(document.querySelectorAll(rows)).map(r => r.textContent.trim());
          let last = null;
          // The prerendered rows: the whole HTML parsed. From then on every change of the rows is noted.
          document.addEventListener("DOMContentLoaded", () => {
            w.first = last = text();
            new MutationObserver(() => {
              const now = text();
              if (now.length === 0 && last.length > 0) w.removals++;
              if (JSON.stringify(now) !== JSON.stringify(last)) w.changes.push(now.length);
              last = now;
            }).observe(document, { childList: true, subtree: true, characterData: true });
          });
        })();
        """);

    /// <summary>What the watch saw: the rows' text when they first appeared, how often they all left, how many row-count changes.</summary>
    public static async Task<(string[] First, int Removals, int[] Changes, string[] Now)> ReadAsync(IPage page, string rowSelector)
    {
        var seen = await page.EvaluateAsync<JsonElement>("() => window.__pdRows");
        var now = await page.Locator(rowSelector).AllTextContentsAsync();
        var first = seen.GetProperty("first").ValueKind == JsonValueKind.Array
            ? seen.GetProperty("first").EnumerateArray().Select(e => e.GetString()!).ToArray()
            : [];
        return (first, seen.GetProperty("removals").GetInt32(), seen.GetProperty("changes").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            now.Select(t => t.Trim()).ToArray());
    }
}
