namespace Switchboard.Infrastructure;

public static class UnusedKeyRing
{
    /// <summary>
    /// Nothing in this server protects data with ASP.NET Core's data protection (the API and the
    /// sockets authenticate with bearer tokens; no cookies, no antiforgery tokens), but
    /// <c>AddAuthentication</c> registers it, and its hosted service reads or creates an XML key ring
    /// at start: that loads the XML stack (~3 MB resident) and writes a key file under the home
    /// folder for nothing. Without the hosted service, anything that ever asks for a protector still
    /// gets one: the key ring then loads on first use (docs/decisions/1631-memory-under-load.md).
    /// </summary>
    public static IServiceCollection SkipKeyRingAtStart(this IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IHostedService)
                && services[i].ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService")
            {
                services.RemoveAt(i);
            }
        }
        return services;
    }
}
