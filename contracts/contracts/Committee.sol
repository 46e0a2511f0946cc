// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ICommittee, Verdict} from "./WeTEE.sol";

/// @title Committee: member sets per epoch and verification of attestation verdicts.
/// @notice Design notes: a verdict set is accepted when at least `quorum` distinct members of the CURRENT epoch
/// signed the same EIP-712 `Verdict` struct (domain "WeTEE Committee", version "1", this chain, this contract).
/// Signatures must be ordered by strictly ascending signer address, which makes distinctness an O(1) check per
/// signature; OZ ECDSA rejects high-s and malformed signatures. Member sets are set by the admin (owner,
/// Ownable2Step, to be handed to a timelock). The DKG over the chain (deals, complaints, group key confirmation,
/// resharing) is a later extension: it will attach a group key to an epoch without changing `verify`.
contract Committee is ICommittee, Ownable2Step, EIP712 {
    /// @notice EIP-712 type hash of `Verdict`. Part of the protocol: do not change.
    bytes32 public constant VERDICT_TYPEHASH = keccak256(
        "Verdict(uint64 workloadId,uint32 version,address instance,uint8 teeType,bytes32 measurementHash,uint8 tcbStatus,uint64 issuedAt,uint64 expiresAt)"
    );

    error InvalidEpoch(uint64 expected, uint64 given);
    error InvalidQuorum(uint256 quorum, uint256 members);
    error InvalidMember(address member);
    error NoCommittee();
    error NotEnoughSignatures(uint256 given, uint256 quorum);
    error SignersNotAscending(uint256 index);
    error NotMember(address signer);
    error RenounceDisabled();

    /// @notice Emitted when an epoch's member set becomes current.
    event EpochSet(uint64 indexed epoch, address[] members, uint16 quorum);

    struct Current {
        uint64 epoch;
        uint16 quorum;
        uint16 size;
    }

    Current internal _current;
    mapping(uint64 epoch => address[]) internal _members;
    mapping(uint64 epoch => mapping(address => bool)) internal _isMember;

    constructor(address admin) Ownable(admin) EIP712("WeTEE Committee", "1") {}

    /// @notice Ownership is handed over (to a timelock), never renounced.
    function renounceOwnership() public view override onlyOwner {
        revert RenounceDisabled();
    }

    /// @notice Makes `members` with `quorum` the current committee as epoch `epoch` (must be current + 1).
    /// The quorum must be a strict majority: n/2 < quorum <= n.
    function setEpoch(uint64 epoch, address[] calldata memberList, uint16 quorum_) external onlyOwner {
        uint64 expected = _current.epoch + 1;
        if (epoch != expected) revert InvalidEpoch(expected, epoch);
        uint256 n = memberList.length;
        if (n == 0 || n > type(uint16).max || uint256(quorum_) * 2 <= n || quorum_ > n) {
            revert InvalidQuorum(quorum_, n);
        }
        mapping(address => bool) storage memberSet = _isMember[epoch];
        for (uint256 i; i < n; ++i) {
            address m = memberList[i];
            if (m == address(0) || memberSet[m]) revert InvalidMember(m);
            memberSet[m] = true;
        }
        _members[epoch] = memberList;
        _current = Current({epoch: epoch, quorum: quorum_, size: uint16(n)});
        emit EpochSet(epoch, memberList, quorum_);
    }

    /// @inheritdoc ICommittee
    /// @dev Returns true or reverts with the reason: `NoCommittee`, `NotEnoughSignatures`, `SignersNotAscending`,
    /// `NotMember`, or OZ `ECDSAInvalidSignature*`.
    function verify(Verdict calldata verdict, bytes[] calldata signatures) external view returns (bool) {
        Current memory c = _current;
        if (c.epoch == 0) revert NoCommittee();
        uint256 n = signatures.length;
        if (n < c.quorum) revert NotEnoughSignatures(n, c.quorum);
        bytes32 digest = verdictDigest(verdict);
        mapping(address => bool) storage memberSet = _isMember[c.epoch];
        address previous;
        for (uint256 i; i < n; ++i) {
            address signer = ECDSA.recoverCalldata(digest, signatures[i]);
            if (signer <= previous) revert SignersNotAscending(i);
            if (!memberSet[signer]) revert NotMember(signer);
            previous = signer;
        }
        return true;
    }

    /// @notice The EIP-712 digest members sign for `verdict`.
    function verdictDigest(Verdict calldata verdict) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VERDICT_TYPEHASH, verdict)));
    }

    /// @notice The domain separator of this contract.
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function currentEpoch() external view returns (uint64) {
        return _current.epoch;
    }

    function quorum() external view returns (uint16) {
        return _current.quorum;
    }

    /// @notice Members of `epoch` in the order they were set.
    function members(uint64 epoch) external view returns (address[] memory) {
        return _members[epoch];
    }

    /// @notice Current epoch, its members and quorum.
    function currentCommittee() external view returns (uint64 epoch, address[] memory memberList, uint16 quorum_) {
        Current memory c = _current;
        return (c.epoch, _members[c.epoch], c.quorum);
    }

    function isMember(uint64 epoch, address account) external view returns (bool) {
        return _isMember[epoch][account];
    }
}
