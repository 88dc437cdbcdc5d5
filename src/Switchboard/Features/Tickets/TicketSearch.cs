using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Switchboard.Data;

namespace Switchboard.Features.Tickets;

/// <summary>
/// Ticket search on the database's own full-text index (docs/decisions/ticket-search.md).
/// The text is split into words (runs of letters and digits); a ticket matches when every word is
/// the start of a word in its title or description (prefix matching: "data" finds "database"),
/// case-insensitively; or when the whole text is its key ("SUP-12", any case).
/// PostgreSQL: a stored generated tsvector column ('simple' configuration) with a GIN index, matched
/// with to_tsquery prefixes. SQLite: an FTS5 external-content table kept in step by triggers.
/// </summary>
public static partial class TicketSearch
{
    private const int MaxWords = 8;

    internal static IQueryable<Ticket> Apply(IQueryable<Ticket> tickets, AppDbContext db, string text)
    {
        var words = Word().Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct().Take(MaxWords).ToList();
        var key = Key().Match(text.Trim());
        var hasKey = key.Success && int.TryParse(key.Groups[2].Value, out _);
        var projectKey = hasKey ? key.Groups[1].Value.ToUpperInvariant() : "";
        var number = hasKey ? int.Parse(key.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        if (words.Count == 0)
        {
            return tickets.Where(t => false);
        }
        var matches = Matches(db, words);
        return hasKey
            ? tickets.Where(t => matches.Contains(t.Id) || (t.Number == number && t.Project.Key == projectKey))
            : tickets.Where(t => matches.Contains(t.Id));
    }

    private static IQueryable<int> Matches(AppDbContext db, List<string> words)
    {
        if (db.IsPostgres)
        {
            var tsQuery = string.Join(" & ", words.Select(w => w + ":*"));
            return db.Database.SqlQuery<int>(
                $"SELECT \"Id\" AS \"Value\" FROM tickets WHERE search_vector @@ to_tsquery('simple', {tsQuery})");
        }
        var ftsQuery = string.Join(" ", words.Select(w => $"\"{w}\"*"));
        return db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM tickets_fts WHERE tickets_fts MATCH {ftsQuery}");
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9]{1,9})-([0-9]{1,9})$")]
    private static partial Regex Key();
}

/// <summary>
/// The raw SQL behind <see cref="TicketSearch"/>, kept here so it can be added again to a migration
/// that is regenerated (EF does not model FTS5 tables, triggers or columns outside the model).
/// </summary>
public static class TicketSearchSql
{
    public const string SqliteUp = """
        CREATE VIRTUAL TABLE tickets_fts USING fts5(
            Title, Description, content='tickets', content_rowid='Id', tokenize='unicode61 remove_diacritics 0');
        INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild');
        CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO tickets_fts(rowid, Title, Description) VALUES (new.Id, new.Title, new.Description);
        END;
        CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
            INSERT INTO tickets_fts(tickets_fts, rowid, Title, Description) VALUES ('delete', old.Id, old.Title, old.Description);
        END;
        CREATE TRIGGER tickets_fts_update AFTER UPDATE OF Title, Description ON tickets BEGIN
            INSERT INTO tickets_fts(tickets_fts, rowid, Title, Description) VALUES ('delete', old.Id, old.Title, old.Description);
            INSERT INTO tickets_fts(rowid, Title, Description) VALUES (new.Id, new.Title, new.Description);
        END;
        """;

    public const string SqliteDown = """
        DROP TRIGGER IF EXISTS tickets_fts_update;
        DROP TRIGGER IF EXISTS tickets_fts_delete;
        DROP TRIGGER IF EXISTS tickets_fts_insert;
        DROP TABLE IF EXISTS tickets_fts;
        """;

    public const string PostgresUp = """
        ALTER TABLE tickets ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            to_tsvector('simple', coalesce("Title", '') || ' ' || coalesce("Description", ''))) STORED;
        CREATE INDEX "IX_tickets_search_vector" ON tickets USING GIN (search_vector);
        """;

    public const string PostgresDown = """
        DROP INDEX IF EXISTS "IX_tickets_search_vector";
        ALTER TABLE tickets DROP COLUMN IF EXISTS search_vector;
        """;
}
