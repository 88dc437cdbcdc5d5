using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The repository stands alone, and docs/api/ keeps up with the routes the server really has. Only
/// SQLite: the OpenAPI document is the same whatever the database.
/// </summary>
public sealed partial class DocsTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    // Where each tag's routes are documented; routes of other tags go in a page of their own.
    private static readonly Dictionary<string, string> PageOfTag = new()
    {
        ["Auth"] = "auth-and-users.md",
        ["Users"] = "auth-and-users.md",
        ["Projects"] = "projects.md",
        ["Tickets"] = "tickets.md",
        ["Chat rooms"] = "chat-rooms.md",
        ["Chat messages"] = "chat-messages.md",
        ["Chat attachments"] = "chat-messages.md",
    };

    // Folders that hold no sources of ours: dependencies, build output, local data.
    private static readonly HashSet<string> SkippedFolders =
        [".git", "node_modules", "bin", "obj", "artifacts", "TestResults", "dist", ".build", "data", "wwwroot", ".tmp", ".vs", ".idea"];

    [Fact]
    public void NoFileReferencesTheTeamsSharedFolder()
    {
        // Spelled in pieces so that this file does not find itself.
        string[] needles = [".." + "/shared", "/work" + "/shared", "..\\" + "shared"];
        var offenders = new List<string>();
        foreach (var file in RepositoryFiles())
        {
            var text = ReadText(file);
            if (text is null)
            {
                continue;
            }
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (needles.Any(n => lines[i].Contains(n, StringComparison.Ordinal)))
                {
                    offenders.Add($"{Path.GetRelativePath(Root, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }
        Assert.True(offenders.Count == 0,
            "The repository must stand alone, but these lines point outside it (link to docs/api/ instead):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void LinksBetweenMarkdownFiles_PointToFilesThatExist()
    {
        var broken = new List<string>();
        foreach (var file in RepositoryFiles().Where(f => f.EndsWith(".md", StringComparison.Ordinal)))
        {
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(file)))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    broken.Add($"{Path.GetRelativePath(Root, file)} links to {target}, which does not exist");
                }
            }
        }
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void ReadmeConfigurationTable_NamesEveryKeyOfTheSettings_AndNoOther()
    {
        // The README's table against appsettings.json (which ships every key with its default) and
        // the options class the server binds.
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var section = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var documented = ConfigRow().Matches(section).Select(m => m.Groups["key"].Value).ToHashSet();

        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "src", "Switchboard", "appsettings.json")))!;
        var shipped = Flatten(settings, "").Where(k => !k.StartsWith("Logging:", StringComparison.Ordinal) && k != "AllowedHosts").ToHashSet();
        var bound = OptionKeys(typeof(Switchboard.Infrastructure.SwitchboardOptions), "").ToHashSet();

        var problems = new List<string>();
        problems.AddRange(shipped.Except(documented).Select(k => $"{k} is in appsettings.json but not in the README's configuration table"));
        problems.AddRange(bound.Except(shipped).Select(k => $"{k} is bound by SwitchboardOptions but has no default in appsettings.json"));
        problems.AddRange(documented.Except(shipped).Where(k => !k.Contains("URLS", StringComparison.Ordinal))
            .Select(k => $"{k} is in the README's configuration table but not in appsettings.json"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static IEnumerable<string> Flatten(JsonNode node, string prefix) => node switch
    {
        JsonObject o => o.SelectMany(p => Flatten(p.Value!, prefix.Length == 0 ? p.Key : $"{prefix}:{p.Key}")),
        _ => [prefix],
    };

    private static IEnumerable<string> OptionKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties().Where(p => p.CanWrite))
        {
            var key = prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}";
            var nested = property.PropertyType;
            if (nested.IsClass && nested != typeof(string) && nested.Namespace?.StartsWith("Switchboard", StringComparison.Ordinal) == true)
            {
                foreach (var inner in OptionKeys(nested, key))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    [Fact]
    public async Task EveryRouteInTheOpenApiDocument_IsDocumentedInDocsApi()
    {
        var documented = DocumentedRoutes();
        var missing = new List<string>();
        foreach (var (route, written, tag, operationId) in await OpenApiRoutesAsync())
        {
            if (documented.ContainsKey(route))
            {
                continue;
            }
            var page = PageOfTag.TryGetValue(tag, out var known) ? $"docs/api/{known}" : $"the docs/api/ page for \"{tag}\"";
            missing.Add($"{written}/ (operation {operationId}, tag {tag}) is missing from {page}");
        }
        Assert.True(missing.Count == 0,
            "Routes that no page of docs/api/ documents (write them as \"METHOD /api/path/\", e.g. in a heading):\n" + string.Join("\n", missing));
    }

    [Fact]
    public async Task EveryRouteTheDocsName_ExistsInTheOpenApiDocument()
    {
        // Examples name real ids (GET /api/tickets/42/), so a written route matches a template
        // segment by segment, any segment standing for a {parameter}.
        var real = (await OpenApiRoutesAsync()).Select(r => r.Route).ToList();
        var stale = DocumentedRoutes().Where(d => !real.Any(r => Matches(r, d.Key)))
            .Select(d => $"{d.Key} (named in {string.Join(", ", d.Value)}) is not a route of the server").ToList();
        Assert.True(stale.Count == 0, "docs/api/ names routes the server does not have:\n" + string.Join("\n", stale));
    }

    [Fact]
    public void DocsApiIndex_LinksToEveryPageThatExists()
    {
        var index = File.ReadAllText(Path.Combine(Root, "docs", "api", "README.md"));
        var unlinked = Directory.GetFiles(Path.Combine(Root, "docs", "api"), "*.md")
            .Select(Path.GetFileName)
            .Where(name => name != "README.md" && !index.Contains($"({name})", StringComparison.Ordinal))
            .ToList();
        Assert.True(unlinked.Count == 0, "docs/api/README.md does not link to: " + string.Join(", ", unlinked));
    }

    [Theory]
    [InlineData("GET /api/tickets/{id}/", "GET /api/tickets/{}")]
    [InlineData("POST /api/chat/rooms/{room_id}/add_participant/", "POST /api/chat/rooms/{}/add_participant")]
    [InlineData("GET /api/chat/messages/?room={id}&before={message_id}", "GET /api/chat/messages")]
    [InlineData("DELETE /api/projects/{id}/members/{userId}", "DELETE /api/projects/{}/members/{}")]
    public void RouteNormalisation_IgnoresParameterNamesQueriesAndTrailingSlashes(string written, string normalised)
    {
        var match = RoutePattern().Match(written);
        Assert.Equal(normalised, Normalise(match.Groups["method"].Value, match.Groups["path"].Value));
    }

    [Theory]
    [InlineData("GET /api/tickets/{}", "GET /api/tickets/42", true)]
    [InlineData("GET /api/tickets/by-key/{}", "GET /api/tickets/by-key/SUP-42", true)]
    [InlineData("GET /api/tickets/{}", "GET /api/tickets/42/history", false)]
    [InlineData("GET /api/tickets/{}", "DELETE /api/tickets/42", false)]
    public void ExampleRoutes_MatchTheirTemplate(string template, string route, bool expected) =>
        Assert.Equal(expected, Matches(template, route));

    /// <summary>The document's routes, normalised and as written (METHOD /path), with their tag and operation id.</summary>
    private async Task<List<(string Route, string Written, string Tag, string OperationId)>> OpenApiRoutesAsync()
    {
        var doc = JsonNode.Parse(await app.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var routes = new List<(string, string, string, string)>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var tag = (string?)operation!["tags"]?[0] ?? "(untagged)";
                routes.Add((Normalise(method, path), $"{method.ToUpperInvariant()} {path}", tag, (string?)operation["operationId"] ?? "(no id)"));
            }
        }
        return routes;
    }

    /// <summary>Every "METHOD /api/..." written in docs/api/*.md, with the pages that name it.</summary>
    private static Dictionary<string, List<string>> DocumentedRoutes()
    {
        var routes = new Dictionary<string, List<string>>();
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "docs", "api"), "*.md"))
        {
            foreach (Match match in RoutePattern().Matches(File.ReadAllText(file)))
            {
                var route = Normalise(match.Groups["method"].Value, match.Groups["path"].Value);
                if (!routes.TryGetValue(route, out var pages))
                {
                    routes[route] = pages = [];
                }
                var page = "docs/api/" + Path.GetFileName(file);
                if (!pages.Contains(page))
                {
                    pages.Add(page);
                }
            }
        }
        return routes;
    }

    private static bool Matches(string template, string route)
    {
        var t = template.Split('/');
        var r = route.Split('/');
        return t.Length == r.Length && t.Zip(r).All(p => p.First == p.Second || (p.First == "{}" && p.Second.Length > 0));
    }

    private static string Normalise(string method, string path)
    {
        var withoutQuery = path.Split('?')[0].TrimEnd('/');
        return $"{method.ToUpperInvariant()} {ParameterName().Replace(withoutQuery, "{}")}";
    }

    [GeneratedRegex(@"\b(?<method>GET|POST|PUT|PATCH|DELETE)\s+`?(?<path>/api/[^\s`)\]|,;.'""<>]*)")]
    private static partial Regex RoutePattern();

    [GeneratedRegex(@"^\| `(?<key>[^`]+)`", RegexOptions.Multiline)]
    private static partial Regex ConfigRow();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"\{[^}/]*\}")]
    private static partial Regex ParameterName();

    private static readonly Lazy<string> RootPath = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Switchboard.slnx not found above " + AppContext.BaseDirectory);
    });

    internal static string Root => RootPath.Value;

    private static IEnumerable<string> RepositoryFiles()
    {
        var pending = new Stack<string>([Root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.GetDirectories(dir))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(sub)))
                {
                    pending.Push(sub);
                }
            }
            foreach (var file in Directory.GetFiles(dir))
            {
                yield return file;
            }
        }
    }

    /// <summary>The file as text, or null for binary and very large files.</summary>
    private static string? ReadText(string file)
    {
        var info = new FileInfo(file);
        if (info.Length > 4 * 1024 * 1024)
        {
            return null;
        }
        var bytes = File.ReadAllBytes(file);
        return bytes.AsSpan(0, Math.Min(bytes.Length, 8000)).Contains((byte)0) ? null : Encoding.UTF8.GetString(bytes);
    }
}
