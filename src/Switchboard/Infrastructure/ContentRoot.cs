namespace Switchboard.Infrastructure;

public static class ContentRoot
{
    /// <summary>
    /// The folder with appsettings.json (and wwwroot, when the web app is built): the binary's own
    /// folder when it has appsettings.json (a build started from anywhere), else the working
    /// directory (dotnet run from the project folder, tests).
    /// An explicit --contentRoot or ASPNETCORE_CONTENTROOT wins.
    /// </summary>
    public static string? Resolve(string[] args)
    {
        if (args.Any(a => a.Contains("contentRoot", StringComparison.OrdinalIgnoreCase)) ||
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")))
        {
            return null;
        }
        var baseDir = AppContext.BaseDirectory;
        return File.Exists(Path.Combine(baseDir, "appsettings.json")) ? baseDir : null;
    }
}
