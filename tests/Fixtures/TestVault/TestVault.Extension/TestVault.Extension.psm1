# The five commands SecretManagement calls on a vault extension. Secrets are strings or hashtables
# of strings, kept in the JSON file $AdditionalParameters.Path.

function Read-Vault([hashtable] $AdditionalParameters) {
    $path = $AdditionalParameters.Path
    $secrets = @{}
    if (Test-Path -LiteralPath $path) {
        $json = Get-Content -LiteralPath $path -Raw | ConvertFrom-Json -AsHashtable
        if ($json) { $secrets = $json }
    }
    $secrets
}

function Write-Vault([hashtable] $AdditionalParameters, [hashtable] $Secrets) {
    $Secrets | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $AdditionalParameters.Path -Encoding utf8
}

function Get-Secret {
    [CmdletBinding()]
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    $secrets = Read-Vault $AdditionalParameters
    if (-not $secrets.ContainsKey($Name)) { return }
    $value = $secrets[$Name]
    if ($value -is [System.Collections.IDictionary]) {
        $table = @{}
        foreach ($key in $value.Keys) { $table[$key] = $value[$key] }
        return $table
    }
    [string] $value
}

function Get-SecretInfo {
    [CmdletBinding()]
    param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    $pattern = if ([string]::IsNullOrEmpty($Filter)) { '*' } else { $Filter }
    $secrets = Read-Vault $AdditionalParameters
    foreach ($name in @($secrets.Keys | Sort-Object)) {
        if ($name -notlike $pattern) { continue }
        $type = if ($secrets[$name] -is [System.Collections.IDictionary]) { 'Hashtable' } else { 'String' }
        [Microsoft.PowerShell.SecretManagement.SecretInformation]::new($name, [Microsoft.PowerShell.SecretManagement.SecretType]::$type, $VaultName)
    }
}

function Set-Secret {
    [CmdletBinding()]
    param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters, [hashtable] $Metadata)
    $secrets = Read-Vault $AdditionalParameters
    if ($Secret -is [securestring]) { $Secret = [System.Net.NetworkCredential]::new('', $Secret).Password }
    if ($Secret -is [System.Collections.IDictionary]) {
        $table = @{}
        foreach ($key in $Secret.Keys) {
            $item = $Secret[$key]
            $table[$key] = if ($item -is [securestring]) { [System.Net.NetworkCredential]::new('', $item).Password } else { [string] $item }
        }
        $Secret = $table
    }
    $secrets[$Name] = $Secret
    Write-Vault $AdditionalParameters $secrets
    $true
}

function Remove-Secret {
    [CmdletBinding()]
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    $secrets = Read-Vault $AdditionalParameters
    if (-not $secrets.ContainsKey($Name)) {
        Write-Error "The secret $Name was not found in vault $VaultName."
        return $false
    }
    $secrets.Remove($Name)
    Write-Vault $AdditionalParameters $secrets
    $true
}

function Test-SecretVault {
    [CmdletBinding()]
    param([string] $VaultName, [hashtable] $AdditionalParameters)
    -not [string]::IsNullOrEmpty($AdditionalParameters.Path)
}
