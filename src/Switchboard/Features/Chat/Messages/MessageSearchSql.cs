using System.Text;

namespace Switchboard.Features.Chat.Messages;

/// <summary>
/// Full-text search plumbing that EF's model cannot express. On SQLite an FTS5 table indexes the
/// messages' content (external content: the text is stored once, in chat_messages) and triggers
/// keep it in step; the AddChat migration runs <see cref="SqliteUp"/>. Kept here so the SQL can be
/// added again if the migration is ever regenerated. PostgreSQL needs nothing extra: its tsvector
/// column and GIN index are part of the model.
/// </summary>
public static class MessageSearchSql
{
    public const string FtsTable = "chat_messages_fts";

    public static readonly string[] SqliteUp =
    [
        $"""
        CREATE VIRTUAL TABLE {FtsTable} USING fts5(
            "Content", content='chat_messages', content_rowid='Id', tokenize='unicode61 remove_diacritics 2');
        """,
        $"""
        CREATE TRIGGER chat_messages_fts_insert AFTER INSERT ON chat_messages BEGIN
            INSERT INTO {FtsTable}(rowid, "Content") VALUES (new."Id", new."Content");
        END;
        """,
        $"""
        CREATE TRIGGER chat_messages_fts_delete AFTER DELETE ON chat_messages BEGIN
            INSERT INTO {FtsTable}({FtsTable}, rowid, "Content") VALUES ('delete', old."Id", old."Content");
        END;
        """,
        $"""
        CREATE TRIGGER chat_messages_fts_update AFTER UPDATE OF "Content" ON chat_messages BEGIN
            INSERT INTO {FtsTable}({FtsTable}, rowid, "Content") VALUES ('delete', old."Id", old."Content");
            INSERT INTO {FtsTable}(rowid, "Content") VALUES (new."Id", new."Content");
        END;
        """,
        $"INSERT INTO {FtsTable}({FtsTable}) VALUES ('rebuild');",
    ];

    public static readonly string[] SqliteDown =
    [
        "DROP TRIGGER IF EXISTS chat_messages_fts_update;",
        "DROP TRIGGER IF EXISTS chat_messages_fts_delete;",
        "DROP TRIGGER IF EXISTS chat_messages_fts_insert;",
        $"DROP TABLE IF EXISTS {FtsTable};",
    ];

    /// <summary>The words of a search, each a letter-and-digit run, as a list; at most 16 of them.</summary>
    public static IReadOnlyList<string> Words(string query)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var rune in query.EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                current.Append(rune.ToString());
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }
        return words.Where(w => w.Length <= 100).Distinct(StringComparer.OrdinalIgnoreCase).Take(16).ToList();
    }

    /// <summary>
    /// An FTS5 MATCH expression that requires every word: each is quoted, so nothing the user types
    /// is read as FTS syntax (AND, NEAR, *, column filters).
    /// </summary>
    public static string FtsMatch(IReadOnlyList<string> words) =>
        string.Join(" ", words.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
}
