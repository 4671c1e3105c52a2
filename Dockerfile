# `rulesbilling serve` in a container:
#   docker build -t rulesbilling .
#   docker run -p 5080:5080 -v rb-data:/data -e RULESBILLING_ADMIN_KEY=change-me rulesbilling
# Rules are loaded from /rules (the repository's pricing-rules/ by default; mount your own over it).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/Host/RulesBilling.Host.csproj -c Release -o /app -p:PackAsTool=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY pricing-rules/ /rules/
# The API listens on every interface inside the container; the data (LiteDB file) lives on a volume.
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1
VOLUME ["/data"]
EXPOSE 5080
USER $APP_UID
ENTRYPOINT ["dotnet", "rulesbilling.dll", "serve", "--urls", "http://0.0.0.0:5080", "--db", "/data/billing.db", "--rules", "/rules"]
