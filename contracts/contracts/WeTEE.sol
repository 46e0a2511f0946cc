// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title Shared WeTEE constants and value types.
/// @notice TEE type codes: 0 SIMULATED, 1 SGX, 2 TDX, 3 SEV_SNP. A TEE-type bitmask has bit i set for code i.
/// TCB status codes: 0 UpToDate, 1 SWHardeningNeeded, 2 ConfigurationNeeded,
/// 3 ConfigurationAndSWHardeningNeeded, 4 OutOfDate, 5 OutOfDateConfigurationNeeded, 6 Revoked.
library WeTEE {
    uint8 internal constant TEE_SIMULATED = 0;
    uint8 internal constant TEE_SGX = 1;
    uint8 internal constant TEE_TDX = 2;
    uint8 internal constant TEE_SEV_SNP = 3;
    /// @dev Mask of every defined TEE type bit.
    uint8 internal constant TEE_MASK = 0x0f;

    uint8 internal constant TCB_REVOKED = 6;

    uint16 internal constant BPS = 10_000;
}

/// @notice Resources of one workload: cpu in milli-cores, memory in MiB, disk in GiB, gpu in units.
struct Resources {
    uint32 cpu;
    uint32 mem;
    uint32 disk;
    uint16 gpu;
}

/// @notice A committee member's attestation verdict (EIP-712 type `Verdict`, domain "WeTEE Committee" v1).
/// @dev Field order and types are part of the protocol: the Java side hashes the same struct.
struct Verdict {
    uint64 workloadId;
    uint32 version;
    address instance;
    uint8 teeType;
    bytes32 measurementHash;
    uint8 tcbStatus;
    uint64 issuedAt;
    uint64 expiresAt;
}

/// @notice Subnet functions used by Cloud.
interface ISubnet {
    /// @notice Reserves `res` on `workerId` for a new workload; returns the level's price per block for `res`.
    function reserve(uint64 workerId, uint16 levelId, uint16 regionId, uint8 teeTypes, Resources calldata res)
        external
        returns (uint256 pricePerBlock);

    /// @notice Releases a reservation made by `reserve`.
    function release(uint64 workerId, Resources calldata res) external;

    /// @notice The account that operates `workerId` (zero if unknown).
    function workerAccount(uint64 workerId) external view returns (address);
}

/// @notice Committee verdict verification used by Cloud (and later Bridge).
interface ICommittee {
    function verify(Verdict calldata verdict, bytes[] calldata signatures) external view returns (bool);
}
