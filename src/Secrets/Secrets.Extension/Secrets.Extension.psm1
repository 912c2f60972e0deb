# The SecretManagement vault of the Secrets module (docs/VAULT.md).
#
# SecretManagement imports the Secrets module in a runspace of its own, then calls these functions
# module-qualified ('Secrets.Extension\Get-Secret') with the parameters below. Each one passes its
# arguments and $PSCmdlet to the compiled implementation, Secrets.Vault.VaultExtension, which
# writes results and errors through $PSCmdlet. The only other thing done here: SecretManagement
# passes the caller's -Verbose as AdditionalParameters.Verbose, and verbose output is switched on
# for that call.

function Get-Secret {
    [CmdletBinding()]
    param(
        [string] $Name,
        [string] $VaultName,
        [hashtable] $AdditionalParameters
    )

    if ($AdditionalParameters.Verbose -eq $true) { $VerbosePreference = 'Continue' }
    [Secrets.Vault.VaultExtension]::GetSecret($PSCmdlet, $Name, $VaultName, $AdditionalParameters)
}

function Set-Secret {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '',
        Justification = 'SecretManagement''s Set-Secret asks for confirmation (ShouldProcess) before it calls this function; the extension contract has no -WhatIf or -Confirm.')]
    [CmdletBinding()]
    param(
        [string] $Name,
        [object] $Secret,
        [string] $VaultName,
        [hashtable] $AdditionalParameters,
        [hashtable] $Metadata
    )

    if ($AdditionalParameters.Verbose -eq $true) { $VerbosePreference = 'Continue' }
    [Secrets.Vault.VaultExtension]::SetSecret($PSCmdlet, $Name, $Secret, $VaultName, $AdditionalParameters, $Metadata)
}

function Remove-Secret {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '',
        Justification = 'SecretManagement''s Remove-Secret asks for confirmation (ShouldProcess) before it calls this function; the extension contract has no -WhatIf or -Confirm.')]
    [CmdletBinding()]
    param(
        [string] $Name,
        [string] $VaultName,
        [hashtable] $AdditionalParameters
    )

    if ($AdditionalParameters.Verbose -eq $true) { $VerbosePreference = 'Continue' }
    [Secrets.Vault.VaultExtension]::RemoveSecret($PSCmdlet, $Name, $VaultName, $AdditionalParameters)
}

function Get-SecretInfo {
    [CmdletBinding()]
    param(
        [string] $Filter,
        [string] $VaultName,
        [hashtable] $AdditionalParameters
    )

    if ($AdditionalParameters.Verbose -eq $true) { $VerbosePreference = 'Continue' }
    [Secrets.Vault.VaultExtension]::GetSecretInfo($PSCmdlet, $Filter, $VaultName, $AdditionalParameters)
}

function Set-SecretInfo {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '',
        Justification = 'SecretManagement''s Set-SecretInfo asks for confirmation (ShouldProcess) before it calls this function; the extension contract has no -WhatIf or -Confirm.')]
    [CmdletBinding()]
    param(
        [string] $Name,
        [hashtable] $Metadata,
        [string] $VaultName,
        [hashtable] $AdditionalParameters
    )

    if ($AdditionalParameters.Verbose -eq $true) { $VerbosePreference = 'Continue' }
    [Secrets.Vault.VaultExtension]::SetSecretInfo($PSCmdlet, $Name, $Metadata, $VaultName, $AdditionalParameters)
}

function Test-SecretVault {
    [CmdletBinding()]
    param(
        [string] $VaultName,
        [hashtable] $AdditionalParameters
    )

    if ($AdditionalParameters.Verbose -eq $true) { $VerbosePreference = 'Continue' }
    [Secrets.Vault.VaultExtension]::TestSecretVault($PSCmdlet, $VaultName, $AdditionalParameters)
}

function Unlock-SecretVault {
    [CmdletBinding()]
    param(
        [securestring] $Password,
        [string] $VaultName,
        [hashtable] $AdditionalParameters
    )

    if ($AdditionalParameters.Verbose -eq $true) { $VerbosePreference = 'Continue' }
    [Secrets.Vault.VaultExtension]::UnlockSecretVault($PSCmdlet, $Password, $VaultName, $AdditionalParameters)
}

function Unregister-SecretVault {
    [CmdletBinding()]
    param(
        [string] $VaultName,
        [hashtable] $AdditionalParameters
    )

    if ($AdditionalParameters.Verbose -eq $true) { $VerbosePreference = 'Continue' }
    [Secrets.Vault.VaultExtension]::UnregisterSecretVault($PSCmdlet, $VaultName, $AdditionalParameters)
}
