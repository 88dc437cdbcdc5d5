var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/health/live", () => "Healthy");
app.Run();
